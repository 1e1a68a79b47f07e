package io.qshard.controllers.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.controllers.view.ClusterView;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.core.replicas.Bookkeeping;
import io.qshard.core.replicas.HostedWorkload;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.core.replicas.HostingSpec;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.shard.usage.UsageTracker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * B and P of hosted workloads from the view's pods: P = max(0, min(C, max) − B), rollouts' surge pods and replicas
 * being removed are neither, a pod of an unknown ReplicaSet makes its namespace's Deployments unsure. One node, no
 * usage reports.
 */
class HostingInputsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final QshardConfig CONFIG = QshardConfig.defaults();
    private static final Tier BATCH = CONFIG.tier("batch");

    private final ClusterState cluster = new ClusterState();
    private final UsageTracker usage = new UsageTracker(CONFIG);
    private final Map<String, PodRequest> pending = new HashMap<>();
    private final Map<String, String> owners = new HashMap<>();
    private final Set<String> deleting = new HashSet<>();
    private int pods;

    @BeforeEach
    void node() {
        cluster.upsertNode(Node.of("n1", Map.of(), List.of(), new Resources(64_000, 256L << 30, 500, 0, 0), false));
        owners.put("rs-web", "web"); // the Deployment web's ReplicaSet
        owners.put("rs-web-new", "web");
        owners.put("web", "web");
        owners.put("crawl", "crawl"); // a StatefulSet owns its pods
    }

    @Test
    void rolloutSurgePodsAreNoMissingReplicas() {
        bound("web", "ReplicaSet", "rs-web", 10, false);
        pendingPods("ns", "ReplicaSet", "rs-web-new", 3);

        HostedWorkload w = only(read(deployment("web", 10, 40)));

        assertThat(w.bound()).isEqualTo(10);
        assertThat(w.pending()).isZero();
    }

    @Test
    void replicasNotRunningArePendingWhetherCreatedOrNot() {
        bound("web", "ReplicaSet", "rs-web", 7, false);
        pendingPods("ns", "ReplicaSet", "rs-web", 1);

        HostingInputs in = read(deployment("web", 10, 40));

        assertThat(only(in).bound()).isEqualTo(7);
        assertThat(only(in).pending()).isEqualTo(3);
        assertThat(in.otherPending()).isEmpty();
        assertThat(in.holdDowns()).isEmpty();
    }

    @Test
    void pendingIsCappedAtMax() {
        bound("web", "ReplicaSet", "rs-web", 10, false);

        assertThat(only(read(deployment("web", 100_000, 40))).pending()).isEqualTo(30);
    }

    @Test
    void replicasBeingRemovedAreNeitherBoundNorPendingAndHoldDowns() {
        bound("web", "ReplicaSet", "rs-web", 5, false);
        bound("web", "ReplicaSet", "rs-web", 3, true);
        PodRequest evicted = bound("web", "ReplicaSet", "rs-web", 1, false).get(0);
        deleting.add(evicted.uid());

        HostingInputs in = read(deployment("web", 6, 40));

        assertThat(only(in).bound()).isEqualTo(5);
        assertThat(only(in).pending()).isEqualTo(1);
        assertThat(in.holdDowns()).containsEntry(key("Deployment", "web"), "4 replicas still leaving");
    }

    @Test
    void boundAboveTheRequestIsLeavingNotPending() {
        bound("crawl", "StatefulSet", "crawl", 19, false);

        HostingInputs in = read(candidate("StatefulSet", "crawl", 10, 40));

        assertThat(only(in).bound()).isEqualTo(19);
        assertThat(only(in).pending()).isZero();
        assertThat(in.holdDowns()).containsEntry(key("StatefulSet", "crawl"), "9 replicas still leaving");
    }

    @Test
    void statefulSetPodsMapToTheirOwnerDirectly() {
        bound("crawl", "StatefulSet", "crawl", 3, false);
        pendingPods("ns", "StatefulSet", "crawl", 1);

        HostingInputs in = read(candidate("StatefulSet", "crawl", 5, 40));

        assertThat(only(in).bound()).isEqualTo(3);
        assertThat(only(in).pending()).isEqualTo(2);
        assertThat(in.otherPending()).isEmpty();
    }

    @Test
    void aPodOfAnUnknownReplicaSetMakesItsNamespacesDeploymentsUnsure() {
        owners.remove("rs-web"); // ReplicaSets not listed, or the ReplicaSet not seen yet
        bound("web", "ReplicaSet", "rs-web", 10, false);
        bound("crawl", "StatefulSet", "crawl", 2, false);
        pendingPods("ns", "ReplicaSet", "rs-web", 2);

        HostingInputs in = read(deployment("web", 10, 40), candidate("StatefulSet", "crawl", 5, 40));

        HostedWorkload web = in.workloads().get(0);
        assertThat(web.bound()).isZero();
        assertThat(web.pending())
                .as("its running pods are not counted: no missing replicas")
                .isZero();
        assertThat(in.holdDowns()).containsEntry(key("Deployment", "web"), "pods of a ReplicaSet not known yet in ns");
        assertThat(in.workloads().get(1).pending())
                .as("a StatefulSet's pods are its own")
                .isEqualTo(3);
        assertThat(in.holdDowns()).doesNotContainKey(key("StatefulSet", "crawl"));
        assertThat(in.otherPending()).as("they may be web's").isEmpty();
    }

    @Test
    void terminatingPodsOfADeletedReplicaSetDoNotMakeItUnsure() {
        bound("web", "ReplicaSet", "rs-web", 4, false);
        bound("web", "ReplicaSet", "rs-deleted", 2, true);

        HostingInputs in = read(deployment("web", 4, 40));

        assertThat(in.holdDowns()).isEmpty();
        assertThat(only(in).bound()).isEqualTo(4);
    }

    @Test
    void otherTeamsPendingPodsStayOthers() {
        bound("web", "ReplicaSet", "rs-web", 10, false);
        pendingPods("ns", "Job", "job-1", 2);
        pendingPods("elsewhere", "ReplicaSet", "rs-unknown", 1); // no candidate in that namespace

        HostingInputs in = read(deployment("web", 10, 40));

        assertThat(in.otherPending()).hasSize(3);
        assertThat(in.holdDowns()).isEmpty();
        assertThat(only(in).pending()).isZero();
    }

    private HostingInputs read(HostingInputs.Candidate... candidates) {
        ClusterView.State s = new ClusterView.State() {
            @Override
            public ClusterState cluster() {
                return cluster;
            }

            @Override
            public UsageTracker usage() {
                return usage;
            }

            @Override
            public Clock clock() {
                return Clock.fixed(NOW, ZoneOffset.UTC);
            }

            @Override
            public Map<String, PodRequest> pending() {
                return pending;
            }
        };
        return HostingInputs.read(s, List.of(candidates), owners::get, deleting::contains, 1.0);
    }

    private static HostedWorkload only(HostingInputs in) {
        assertThat(in.workloads()).hasSize(1);
        return in.workloads().get(0);
    }

    private HostingInputs.Candidate deployment(String name, int replicas, int max) {
        return candidate("Deployment", name, replicas, max);
    }

    private HostingInputs.Candidate candidate(String kind, String name, int replicas, int max) {
        WorkloadFacts f = new WorkloadFacts(
                key(kind, name),
                name,
                "apps/v1",
                "1",
                1,
                replicas,
                Map.of("qshard.io/replica-hosting", "true"),
                null,
                null,
                pod("template-" + name, "ns", null, null, false),
                null,
                NOW);
        return new HostingInputs.Candidate(
                f, new HostingAnnotations.Parsed(new HostingSpec(true, 1, max), null, Bookkeeping.NONE, null));
    }

    private static WorkloadKey key(String kind, String name) {
        return new WorkloadKey("ns", "apps", kind, name);
    }

    private List<PodRequest> bound(String app, String ownerKind, String ownerUid, int n, boolean terminating) {
        List<PodRequest> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            PodRequest p =
                    pod(app + "-" + pods++, "ns", new OwnerRef(ownerKind, ownerUid, ownerUid), "n1", terminating);
            cluster.upsertPod(p);
            out.add(p);
        }
        return out;
    }

    private void pendingPods(String namespace, String ownerKind, String ownerUid, int n) {
        for (int i = 0; i < n; i++) {
            PodRequest p = pod("p-" + pods++, namespace, new OwnerRef(ownerKind, ownerUid, ownerUid), null, false);
            pending.put(p.uid(), p);
        }
    }

    private static PodRequest pod(String name, String namespace, OwnerRef owner, String node, boolean terminating) {
        return new PodRequest(
                "uid-" + name,
                namespace,
                name,
                BATCH.name(),
                BATCH.poolRule(),
                new Resources(0, 0, 1, 500, 1L << 30),
                Map.of(),
                null,
                List.of(),
                BATCH.priority(),
                NOW,
                owner,
                node,
                Map.of(),
                null,
                List.of(),
                terminating);
    }
}
