package io.qshard.shard.scheduler;

import static io.qshard.shard.scheduler.PreemptionSupport.createStarted;
import static io.qshard.shard.scheduler.PreemptionSupport.nodeOf;
import static io.qshard.shard.scheduler.PreemptionSupport.nominated;
import static io.qshard.shard.scheduler.PreemptionSupport.pod;
import static io.qshard.shard.scheduler.PreemptionSupport.podNames;
import static io.qshard.shard.scheduler.PreemptionSupport.preemptedEvents;
import static io.qshard.shard.scheduler.PreemptionSupport.priorityClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.model.Tier;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 22's preemption on the real apiserver, qshard's prod tier alone: existing pods are bound at create time with a
 * start time (no kubelet), each case on its own nodes (label {@code preempt-case}, which the preemptor selects).
 * Expected victims follow kube-scheduler 1.20's rules, worked out per case in comments.
 */
@RealControlPlane
class PreemptionIT {
    private static final Tier PROD = DefaultTiers.named(DefaultTiers.PROD);
    private static final Tier MID = DefaultTiers.named(DefaultTiers.MID);
    private static final String OTHER = "default-scheduler"; // existing pods: bound at create, no scheduler runs
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static SchedulerProcess scheduler;

    @BeforeAll
    static void start(KubernetesClient admin, LocalControlPlane cp) {
        priorityClass(admin, "it-low", 100, null);
        priorityClass(admin, "it-mid", 500, null);
        priorityClass(admin, "it-high", 1000, null);
        priorityClass(admin, "it-high-never", 1000, "Never");
        priorityClass(admin, "qshard-prod", 9000, null);
        priorityClass(admin, "qshard-mid", 7000, "Never");
        List<io.fabric8.kubernetes.api.model.Node> nodes = new ArrayList<>();
        for (String c : List.of("c1-0", "c1-1", "c1-2", "c2-0", "c2-1", "c3-0", "c4-0", "c4-1")) {
            nodes.add(NodeFixture.node(c)
                    .cpu("2")
                    .memory("4Gi")
                    .label("preempt-case", c.substring(0, 2))
                    .build());
        }
        Bulk.create(admin, nodes, 4);
        scheduler = SchedulerITSupport.startProd(cp);
    }

    @AfterAll
    static void stop() {
        scheduler.stop(Duration.ofSeconds(5));
    }

    private static Pod preemptor(String ns, String name, String priorityClass, long cpu, String caseLabel) {
        Pod p = pod(ns, name, PROD, PROD.schedulerName(), priorityClass, cpu, null);
        p.getSpec().setNodeSelector(Map.of("preempt-case", caseLabel));
        return p;
    }

    @Test
    void higherPriorityPodPreemptsTheFewestLowerOnesAndBindsToTheNominatedNode(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "preempt-basic");
        // c1-0: 2 × 900m → 2 victims; c1-1: 1 × 1800m → 1 victim; c1-2: 3 × 600m → 3 victims (1500m needs all gone)
        // all priority 100 → equal highest priority; smallest Σ(priority + 2^31) is c1-1's one victim
        createStarted(admin, pod(ns, "low-a-0", PROD, OTHER, "it-low", 900, "c1-0"), 1);
        createStarted(admin, pod(ns, "low-a-1", PROD, OTHER, "it-low", 900, "c1-0"), 2);
        createStarted(admin, pod(ns, "low-b-0", PROD, OTHER, "it-low", 1800, "c1-1"), 3);
        for (int i = 0; i < 3; i++) {
            createStarted(admin, pod(ns, "low-c-" + i, PROD, OTHER, "it-low", 600, "c1-2"), 4 + i);
        }
        admin.resource(preemptor(ns, "high", "it-high", 1500, "c1")).create();

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(nodeOf(admin, ns, "high")).isEqualTo("c1-1");
            assertThat(nominated(admin, ns, "high")).isEqualTo("c1-1");
        });
        assertThat(podNames(admin, ns))
                .containsExactlyInAnyOrder("low-a-0", "low-a-1", "low-c-0", "low-c-1", "low-c-2", "high");
        await().atMost(DEADLINE)
                .untilAsserted(() -> assertThat(preemptedEvents(admin, ns))
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("low-b-0");
                            assertThat(e.getMessage()).isEqualTo("Preempted by " + ns + "/high on node c1-1");
                            assertThat(e.getType()).isEqualTo("Normal");
                        }));
        TierScheduler prod = scheduler.schedulers().get(0);
        assertThat(prod.metrics().victimsByTier.get("other").sum()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBudgetWithNoDisruptionsLeftProtectsItsPodsAndAnotherNodesVictimIsChosen(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "preempt-pdb");
        // without the budget c2-0 wins (its victim's priority 100 < 500); guarded-0 breaks the budget → c2-1
        createStarted(admin, pod(ns, "guarded-0", PROD, OTHER, "it-low", 1800, "c2-0"), 1);
        createStarted(admin, pod(ns, "plain-0", PROD, OTHER, "it-mid", 1800, "c2-1"), 2);
        admin.resource(new PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withName("guarded")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withMaxUnavailable(new IntOrString(0))
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", "guarded"))
                        .endSelector()
                        .endSpec()
                        .build())
                .create();
        // what the disruption controller would write (none runs here)
        admin.policy()
                .v1beta1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withName("guarded")
                .editStatus(b -> {
                    b.setStatus(new PodDisruptionBudgetStatusBuilder()
                            .withDisruptionsAllowed(0)
                            .withCurrentHealthy(1)
                            .withDesiredHealthy(1)
                            .withExpectedPods(1)
                            .withObservedGeneration(b.getMetadata().getGeneration())
                            .build());
                    return b;
                });
        TierScheduler prod = scheduler.schedulers().get(0);
        await().atMost(DEADLINE)
                .until(() -> prod.snapshot().budgets().stream()
                        .anyMatch(b -> b.namespace().equals(ns)));
        admin.resource(preemptor(ns, "high", "it-high", 1500, "c2")).create();

        await().atMost(DEADLINE)
                .untilAsserted(() -> assertThat(nodeOf(admin, ns, "high")).isEqualTo("c2-1"));
        assertThat(podNames(admin, ns)).containsExactlyInAnyOrder("guarded-0", "high");
        assertThat(prod.metrics().pdbRefusals.sum())
                .as("c2-0 passed over for its budget")
                .isPositive();
    }

    @Test
    void aPodThatNeverPreemptsWaitsForRoom(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "preempt-never");
        createStarted(admin, pod(ns, "low-0", PROD, OTHER, "it-low", 1800, "c3-0"), 1);
        TierScheduler prod = scheduler.schedulers().get(0);
        long attempts = prod.metrics().preemptionsFailed.sum();
        Pod p = preemptor(ns, "patient", "it-high-never", 1500, "c3");
        admin.resource(p).create();
        assertThat(admin.pods()
                        .inNamespace(ns)
                        .withName("patient")
                        .get()
                        .getSpec()
                        .getPreemptionPolicy())
                .as("set by the apiserver's Priority admission from the class")
                .isEqualTo("Never");

        // the scheduler has decided it (unschedulable, preemption asked and refused) and told the user
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(prod.metrics().preemptionsFailed.sum()).isGreaterThan(attempts);
            assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("FailedScheduling"));
        });
        assertThat(podNames(admin, ns)).containsExactlyInAnyOrder("low-0", "patient");
        assertThat(nominated(admin, ns, "patient")).isNull();
        assertThat(preemptedEvents(admin, ns)).isEmpty();

        admin.pods().inNamespace(ns).withName("low-0").delete(); // room made by someone else
        await().atMost(DEADLINE)
                .untilAsserted(() -> assertThat(nodeOf(admin, ns, "patient")).isEqualTo("c3-0"));
    }

    @Test
    void aProdPodTakesRoomFromTheFewestMidPodsAndNoNodeIsEverOverbooked(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "preempt-mid");
        // c4-0: 4 mid pods × 500m; 900m needs 2 gone → 2 victims. c4-1: 2 × 1000m → 1 victim (the later started one:
        // mid-b-0, more important by its earlier start, is given back first and fits) → Σ smaller → c4-1
        for (int i = 0; i < 4; i++) {
            createStarted(admin, pod(ns, "mid-a-" + i, MID, MID.schedulerName(), "qshard-mid", 500, "c4-0"), 1 + i);
        }
        createStarted(admin, pod(ns, "mid-b-0", MID, MID.schedulerName(), "qshard-mid", 1000, "c4-1"), 5);
        createStarted(admin, pod(ns, "mid-b-1", MID, MID.schedulerName(), "qshard-mid", 1000, "c4-1"), 6);
        assertThat(SchedulerITSupport.overcommittedNodes(admin)).isEmpty();
        admin.resource(preemptor(ns, "prod-0", "qshard-prod", 900, "c4")).create();

        List<String> overbooked = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            overbooked.addAll(SchedulerITSupport.overcommittedNodes(admin)); // a kubelet would refuse a pod here
            assertThat(nodeOf(admin, ns, "prod-0")).isEqualTo("c4-1");
        });
        assertThat(overbooked)
                .as("Σ native requests ≤ allocatable at every sample")
                .isEmpty();
        assertThat(SchedulerITSupport.overcommittedNodes(admin)).isEmpty();
        assertThat(podNames(admin, ns))
                .isEqualTo(Set.of("mid-a-0", "mid-a-1", "mid-a-2", "mid-a-3", "mid-b-0", "prod-0"));
        TierScheduler prod = scheduler.schedulers().get(0);
        assertThat(prod.metrics().victimsByTier.get("mid").sum()).isEqualTo(1);
    }
}
