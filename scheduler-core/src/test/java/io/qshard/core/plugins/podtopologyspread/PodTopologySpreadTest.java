package io.qshard.core.plugins.podtopologyspread;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.model.Toleration;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests of kube-scheduler 1.20's PodTopologySpread (minDomains and node inclusion policies as current
 * kube-scheduler). The cluster: this shard's nodes a1 (zone a, disk=ssd), a2 (zone a), b1 (zone b, disk=ssd), c1 (zone
 * c, tainted dedicated=gpu:NoSchedule), x1 (no zone label), every one with its hostname label; o1 (zone b) belongs to
 * another shard; "ghost" is a node name no node has. Pods are in namespace "ns" unless said; "web" pods carry
 * app=web, and constraints select app=web.
 */
class PodTopologySpreadTest {
    private static final String HOST = TopologySpreadConstraint.HOSTNAME_KEY;
    private static final String ZONE = TopologySpreadConstraint.ZONE_KEY;
    private static final List<String> SHARD = List.of("a1", "a2", "b1", "c1", "x1");
    private static final LabelSelector WEB = LabelSelector.of(Map.of("app", "web"), List.of());
    private static final String RS_UID = "rs-uid";
    private static final OwnerRef RS = new OwnerRef("ReplicaSet", "web-rs", RS_UID);

    private static ClusterSnapshot cluster(List<PodRequest> bound) {
        ClusterState state = new ClusterState();
        state.upsertNode(node("a1", 4000, 8)
                .label(HOST, "a1")
                .label(ZONE, "a")
                .label("disk", "ssd")
                .build());
        state.upsertNode(node("a2", 4000, 8).label(HOST, "a2").label(ZONE, "a").build());
        state.upsertNode(node("b1", 4000, 8)
                .label(HOST, "b1")
                .label(ZONE, "b")
                .label("disk", "ssd")
                .build());
        state.upsertNode(node("c1", 4000, 8)
                .label(HOST, "c1")
                .label(ZONE, "c")
                .taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE)
                .build());
        state.upsertNode(node("x1", 4000, 8).label(HOST, "x1").build());
        state.observeNode(node("o1", 4000, 8).label(HOST, "o1").label(ZONE, "b").build());
        state.controllerSelector("ns", RS_UID, WEB);
        for (PodRequest p : bound) {
            state.upsertPod(p);
        }
        return state.snapshot();
    }

    /** A pending pod of namespace {@code ns}; the nodeSelector, tolerations and owner come from {@code base}. */
    private static PodRequest p(
            PodRequest base, String ns, Map<String, String> labels, List<TopologySpreadConstraint> spread) {
        return new PodRequest(
                base.uid(),
                ns,
                base.name(),
                base.tier(),
                base.poolRule(),
                base.requests(),
                base.nodeSelector(),
                base.affinity(),
                base.tolerations(),
                base.priority(),
                base.creationTime(),
                base.owner(),
                null,
                labels,
                PodAffinity.NONE,
                spread,
                false);
    }

    private static PodRequest web(String uid, TopologySpreadConstraint... spread) {
        return p(pod(uid, "prod", 100, 1).build(), "ns", Map.of("app", "web"), List.of(spread));
    }

    private static PodRequest webIn(String uid, String ns) {
        return p(pod(uid, "prod", 100, 1).build(), ns, Map.of("app", "web"), List.of());
    }

    /** A web pod whose controller is the ReplicaSet selecting app=web. */
    private static PodRequest rsPod(String uid) {
        PodRequest b = pod(uid, "prod", 100, 1).build();
        PodRequest owned = new PodRequest(
                b.uid(),
                b.namespace(),
                b.name(),
                b.tier(),
                b.poolRule(),
                b.requests(),
                b.nodeSelector(),
                b.affinity(),
                b.tolerations(),
                b.priority(),
                b.creationTime(),
                RS,
                null);
        return owned.withTopology(Map.of("app", "web"), PodAffinity.NONE, List.of());
    }

    private static PodRequest onSsd(PodRequest in) {
        PodRequest b = pod(in.uid(), "prod", 100, 1).selector("disk", "ssd").build();
        return p(b, in.namespace(), in.labels(), in.spread());
    }

    private static PodRequest tolerateGpu(PodRequest in) {
        PodRequest b = pod(in.uid(), "prod", 100, 1)
                .tolerate(new Toleration("dedicated", Toleration.Operator.EQUAL, "gpu", Taint.Effect.NO_SCHEDULE))
                .build();
        return p(b, in.namespace(), in.labels(), in.spread());
    }

    /** {@code n} web pods bound to {@code node}. */
    private static List<PodRequest> webOn(String node, int n) {
        List<PodRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(web("w-" + node + "-" + i).boundTo(node));
        }
        return out;
    }

    @SafeVarargs
    private static List<PodRequest> all(List<PodRequest>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).toList();
    }

    private static TopologySpreadConstraint hard(int maxSkew, String key) {
        return TopologySpreadConstraint.of(maxSkew, key, true, WEB);
    }

    private static TopologySpreadConstraint soft(int maxSkew, String key) {
        return TopologySpreadConstraint.of(maxSkew, key, false, WEB);
    }

    private static TopologySpreadConstraint hard(
            int maxSkew, String key, int minDomains, boolean honorAffinity, boolean honorTaints) {
        return new TopologySpreadConstraint(maxSkew, key, true, WEB, minDomains, honorAffinity, honorTaints);
    }

    // ---------------------------------------------------------------- Filter

    record FilterCase(
            String name,
            List<TopologySpreadConstraint> defaults,
            List<PodRequest> bound,
            PodRequest incoming,
            String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FilterCase> filterCases() {
        List<TopologySpreadConstraint> sys = PodTopologySpread.SYSTEM_DEFAULTS;
        return Stream.of(
                new FilterCase("no constraints: SKIP", sys, webOn("a1", 3), web("in"), "SKIP"),
                new FilterCase(
                        "only ScheduleAnyway constraints: SKIP", sys, webOn("a1", 3), web("in", soft(1, ZONE)), "SKIP"),
                new FilterCase(
                        // a=2 b=1 c=0 → min 0; a: 2+1−0=3>1, b: 1+1−0=2>1, c: 0+1−0=1 ok
                        "zone maxSkew 1: a=2 b=1 c=0",
                        sys,
                        all(webOn("a1", 1), webOn("a2", 1), webOn("b1", 1)),
                        web("in", hard(1, ZONE)),
                        "a1:skew a2:skew b1:skew c1:ok x1:label"),
                new FilterCase(
                        // a=1 b=1 (o1) c=1 → min 1; every zone 1+1−1=1 ok
                        "zone: a pod on another shard's node counts",
                        sys,
                        all(webOn("a1", 1), webOn("o1", 1), webOn("c1", 1)),
                        web("in", hard(1, ZONE)),
                        "a1:ok a2:ok b1:ok c1:ok x1:label"),
                new FilterCase(
                        // the same without o1's pod: b=0 → min 0; a: 1+1=2>1, c: 2>1, b: 1 ok
                        "zone: an empty zone is the minimum",
                        sys,
                        all(webOn("a1", 1), webOn("c1", 1)),
                        web("in", hard(1, ZONE)),
                        "a1:skew a2:skew b1:ok c1:skew x1:label"),
                new FilterCase(
                        // a=1 b=0 c=0; selfMatch 0: a: 1+0−0=1 ok
                        "self not selected: selfMatch 0",
                        sys,
                        webOn("a1", 1),
                        p(pod("in", "prod", 100, 1).build(), "ns", Map.of("app", "api"), List.of(hard(1, ZONE))),
                        "a1:ok a2:ok b1:ok c1:ok x1:label"),
                new FilterCase(
                        // every node with a hostname is a domain; a1=2 a2=1 others 0 → min 0
                        "hostname maxSkew 1",
                        sys,
                        all(webOn("a1", 2), webOn("a2", 1)),
                        web("in", hard(1, HOST)),
                        "a1:skew a2:skew b1:ok c1:ok x1:ok"),
                new FilterCase(
                        // the same pods with maxSkew 2: a1: 2+1−0=3>2, a2: 1+1=2 ok
                        "hostname maxSkew 2",
                        sys,
                        all(webOn("a1", 2), webOn("a2", 1)),
                        web("in", hard(2, HOST)),
                        "a1:skew a2:ok b1:ok c1:ok x1:ok"),
                new FilterCase(
                        "pods of other namespaces are not counted",
                        sys,
                        List.of(
                                webIn("o-1", "other").boundTo("a1"),
                                webIn("o-2", "other").boundTo("a2")),
                        web("in", hard(1, ZONE)),
                        "a1:ok a2:ok b1:ok c1:ok x1:label"),
                new FilterCase(
                        "terminating pods are not counted",
                        sys,
                        List.of(
                                web("t-1").boundTo("a1").withTerminating(true),
                                web("t-2").boundTo("a2").withTerminating(true)),
                        web("in", hard(1, ZONE)),
                        "a1:ok a2:ok b1:ok c1:ok x1:label"),
                new FilterCase(
                        "pods on an unknown node are ignored",
                        sys,
                        webOn("ghost", 3),
                        web("in", hard(1, HOST)),
                        "a1:ok a2:ok b1:ok c1:ok x1:ok"),
                new FilterCase(
                        // x1 is no zone domain: its pods count nowhere
                        "missing label: unresolvable, and the node's pods are not counted",
                        sys,
                        webOn("x1", 3),
                        web("in", hard(1, ZONE)),
                        "a1:ok a2:ok b1:ok c1:ok x1:label"),
                new FilterCase(
                        // x1 lacks the zone key, so it is no hostname domain either: hostname min = 1 (a1 a2 b1 c1 o1
                        // one pod each); zone a=2 b=2 c=1 → min 1; a, b: 2+1−1=2>1; c1: zone 1, host 1+1−1=1 ok
                        "two keys: a node missing one is no domain of the other",
                        sys,
                        all(webOn("a1", 1), webOn("a2", 1), webOn("b1", 1), webOn("c1", 1), webOn("o1", 1)),
                        web("in", hard(1, ZONE), hard(1, HOST)),
                        "a1:skew a2:skew b1:skew c1:ok x1:label"),
                new FilterCase(
                        // eligible (ssd): a1, b1 → domains a, b (c is none: min not 0); 1.20 counts a2's pods in zone
                        // a:
                        // a=2 b=1 → min 1; a: 2+1−1=2>1; b: 1+1−1=1 ok; c1: no domain, 0+1−1=0 ok
                        "node selector narrows the domains; 1.20 counts other nodes of an eligible zone",
                        sys,
                        all(webOn("a2", 2), webOn("b1", 1)),
                        onSsd(web("in", hard(1, ZONE))),
                        "a1:skew a2:skew b1:ok c1:ok x1:label"),
                new FilterCase(
                        // a constraint with a newer field counts eligible nodes only: a=0 b=1 → min 0;
                        // a: 0+1=1 ok, b: 1+1=2>1
                        "node selector with nodeTaintsPolicy Honor: only eligible nodes count",
                        sys,
                        all(webOn("a2", 2), webOn("b1", 1)),
                        onSsd(web("in", hard(1, ZONE, 1, true, true))),
                        "a1:ok a2:ok b1:skew c1:ok x1:label"),
                new FilterCase(
                        // every zoned node is a domain: a=2 b=1 c=0 → min 0
                        "nodeAffinityPolicy Ignore: the selector does not narrow the domains",
                        sys,
                        all(webOn("a2", 2), webOn("b1", 1)),
                        onSsd(web("in", hard(1, ZONE, 1, false, false))),
                        "a1:skew a2:skew b1:skew c1:ok x1:label"),
                new FilterCase(
                        // a=1 b=1 c=1 → min 1; 3 domains ≥ minDomains 3: 1+1−1=1 ok
                        "minDomains met",
                        sys,
                        all(webOn("a1", 1), webOn("b1", 1), webOn("c1", 1)),
                        web("in", hard(1, ZONE, 3, true, false)),
                        "a1:ok a2:ok b1:ok c1:ok x1:label"),
                new FilterCase(
                        // 3 domains < minDomains 4 → min 0: 1+1−0=2>1 everywhere
                        "minDomains not met: the global minimum is 0",
                        sys,
                        all(webOn("a1", 1), webOn("b1", 1), webOn("c1", 1)),
                        web("in", hard(1, ZONE, 4, true, false)),
                        "a1:skew a2:skew b1:skew c1:skew x1:label"),
                new FilterCase(
                        // taints ignored (1.20): c (tainted c1) is a domain with 0 pods → min 0; a, b: 2>1
                        "nodeTaintsPolicy Ignore: a tainted node's zone is a domain",
                        sys,
                        all(webOn("a1", 1), webOn("b1", 1)),
                        web("in", hard(1, ZONE)),
                        "a1:skew a2:skew b1:skew c1:ok x1:label"),
                new FilterCase(
                        // c1 untolerated → no domain: a=1 b=1 → min 1; a, b: 1 ok; c1: 0+1−1=0 ok
                        "nodeTaintsPolicy Honor: an untolerated node is no domain",
                        sys,
                        all(webOn("a1", 1), webOn("b1", 1)),
                        web("in", hard(1, ZONE, 1, true, true)),
                        "a1:ok a2:ok b1:ok c1:ok x1:label"),
                new FilterCase(
                        // tolerated → c is a domain again: min 0
                        "nodeTaintsPolicy Honor: a tolerated taint keeps the domain",
                        sys,
                        all(webOn("a1", 1), webOn("b1", 1)),
                        tolerateGpu(web("in", hard(1, ZONE, 1, true, true))),
                        "a1:skew a2:skew b1:skew c1:ok x1:label"),
                new FilterCase(
                        // RS selector app=web: a=2 b=1 c=0 → min 0
                        "DoNotSchedule default constraints apply to a ReplicaSet's pod",
                        List.of(hard(1, ZONE)),
                        all(webOn("a1", 1), webOn("a2", 1), webOn("b1", 1)),
                        rsPod("in"),
                        "a1:skew a2:skew b1:skew c1:ok x1:label"),
                new FilterCase(
                        "default constraints need a Service or controller selecting the pod",
                        List.of(hard(1, ZONE)),
                        all(webOn("a1", 1), webOn("a2", 1)),
                        p(pod("in", "prod", 100, 1).build(), "ns", Map.of("app", "api"), List.of()),
                        "SKIP"),
                new FilterCase(
                        // 1.20 finds controllers by selector, not by owner: an orphan app=web pod is selected too
                        "DoNotSchedule default constraints apply to a pod the ReplicaSet selects, owned or not",
                        List.of(hard(1, ZONE)),
                        all(webOn("a1", 1), webOn("a2", 1), webOn("b1", 1)),
                        web("in"),
                        "a1:skew a2:skew b1:skew c1:ok x1:label"),
                new FilterCase(
                        "a pod with own constraints gets no defaults",
                        List.of(hard(1, ZONE)),
                        all(webOn("a1", 1), webOn("a2", 1)),
                        rsPod("in").withTopology(Map.of("app", "web"), PodAffinity.NONE, List.of(soft(1, ZONE))),
                        "SKIP"));
    }

    @ParameterizedTest
    @MethodSource("filterCases")
    void filter(FilterCase c) {
        PodTopologySpread plugin = new PodTopologySpread(c.defaults());
        ClusterSnapshot snap = cluster(c.bound());
        CycleState state = new CycleState();
        Status pre = plugin.preFilter(state, c.incoming(), snap);
        if (c.expected().equals("SKIP")) {
            assertThat(pre).isSameAs(Status.SKIP);
        } else {
            assertThat(pre).isSameAs(Status.SUCCESS);
            String verdicts = SHARD.stream()
                    .map(n -> n + ":" + verdict(plugin.filter(state, c.incoming(), at(snap, n))))
                    .collect(Collectors.joining(" "));
            assertThat(verdicts).isEqualTo(c.expected());
        }
    }

    private static String verdict(Status s) {
        if (s.isSuccess()) {
            return "ok";
        }
        if (s.code() == Status.Code.UNRESOLVABLE
                && s.reasons()
                        .equals(List.of(
                                "node(s) didn't match pod topology spread constraints (missing required label)"))) {
            return "label";
        }
        if (s.code() == Status.Code.UNSCHEDULABLE
                && s.reasons().equals(List.of("node(s) didn't match pod topology spread constraints"))) {
            return "skew";
        }
        return s.toString();
    }

    private static NodeState at(ClusterSnapshot snap, String name) {
        return snap.node(name).orElseThrow();
    }

    @Test
    void filterStatusesNameThePlugin() {
        PodTopologySpread plugin = new PodTopologySpread(List.of());
        ClusterSnapshot snap = cluster(webOn("a1", 2));
        CycleState state = new CycleState();
        PodRequest in = web("in", hard(1, ZONE));
        plugin.preFilter(state, in, snap);
        assertThat(plugin.filter(state, in, at(snap, "a1")).plugin()).isEqualTo(PodTopologySpread.NAME);
        assertThat(plugin.filter(state, in, at(snap, "x1")).plugin()).isEqualTo(PodTopologySpread.NAME);
        assertThat(plugin.nodeLocal()).isFalse();
    }

    // ---------------------------------------------------------------- Score

    /** PreScore over {@code feasible}, then raw scores and normalised scores. */
    private record Scored(Status pre, long[] raw, long[] normalized) {}

    private static Scored score(PodTopologySpread plugin, PodRequest in, List<PodRequest> bound, String... feasible) {
        ClusterSnapshot snap = cluster(bound);
        NodeState[] nodes = Arrays.stream(feasible).map(n -> at(snap, n)).toArray(NodeState[]::new);
        CycleState state = new CycleState();
        Status pre = plugin.preScore(state, in, snap, nodes, nodes.length);
        if (pre.code() == Status.Code.SKIP) {
            return new Scored(pre, null, null);
        }
        long[] raw = new long[nodes.length];
        plugin.scoreAll(state, in, nodes, nodes.length, raw);
        long[] normalized = raw.clone();
        plugin.normalize(state, in, normalized, nodes.length);
        return new Scored(pre, raw, normalized);
    }

    @Test
    void systemDefaultsSpreadAReplicaSetsPodsByHostnameAndZone() {
        List<PodRequest> bound = all(
                List.of(
                        rsPod("r1").boundTo("a1"),
                        rsPod("r2").boundTo("a1"),
                        rsPod("r3").boundTo("b1")),
                List.of(
                        rsPod("r4").boundTo("o1"),
                        rsPod("r5").boundTo("x1"),
                        rsPod("r6").boundTo("ghost")),
                // not counted: terminating, another namespace
                List.of(
                        rsPod("t").boundTo("c1").withTerminating(true),
                        webIn("o", "other").boundTo("c1")));
        Scored s = score(
                new PodTopologySpread(PodTopologySpread.SYSTEM_DEFAULTS),
                rsPod("in"),
                bound,
                "a1",
                "a2",
                "b1",
                "c1",
                "x1");
        assertThat(s.pre()).isSameAs(Status.SUCCESS);
        // x1 lacks the zone key: ignored. hostname: 5 − 1 = 4 domains, w = ln 6 = 1.791759; zone: {a, b, c} among the
        // scored nodes, w = ln 5 = 1.609438; zone counts over every eligible node: a = 2, b = 1 + 1 (o1) = 2, c = 0
        // (x1's pod counts in no zone, ghost's nowhere).
        // a1: 2·1.791759 + 2 + 2·1.609438 + 4 = 12.80 → 12
        // a2: 0 + 2 + 2·1.609438 + 4 = 9.22 → 9
        // b1: 1·1.791759 + 2 + 2·1.609438 + 4 = 11.01 → 11
        // c1: 0 + 2 + 0 + 4 = 6
        assertThat(s.raw()).containsExactly(12, 9, 11, 6, -1);
        // min 6, max 12: 100·(18 − s) / 12 → a1 50, a2 75, b1 58 (700/12), c1 100; ignored x1 0
        assertThat(s.normalized()).containsExactly(50, 75, 58, 100, 0);
    }

    @Test
    void domainsAreSizedOverTheScoredNodesAndCountedOverAllEligibleNodes() {
        PodTopologySpread plugin = new PodTopologySpread(PodTopologySpread.SYSTEM_DEFAULTS);
        PodRequest in = web("in", soft(1, ZONE));
        List<PodRequest> bound = all(webOn("a2", 2), webOn("o1", 1));
        // a = 2 (a2, not scored), b = 1 (o1, another shard's), c = 0
        // three scored zones: w = ln 5 = 1.609438; a1: 2·1.609438 = 3.22 → 3, b1: 1.61 → 1, c1: 0
        Scored three = score(plugin, in, bound, "a1", "b1", "c1");
        assertThat(three.raw()).containsExactly(3, 1, 0);
        // min 0, max 3: a1 100·(3 − 3)/3 = 0, b1 100·2/3 = 66, c1 100
        assertThat(three.normalized()).containsExactly(0, 66, 100);
        // two scored zones: w = ln 4 = 1.386294; a1: 2.77 → 2, b1: 1.39 → 1; min 1, max 2: a1 100·1/2 = 50, b1 100
        Scored two = score(plugin, in, bound, "a1", "b1");
        assertThat(two.raw()).containsExactly(2, 1);
        assertThat(two.normalized()).containsExactly(50, 100);
    }

    @Test
    void scoringCountsOnlyNodesMatchingTheNodeSelector() {
        PodTopologySpread plugin = new PodTopologySpread(List.of());
        // a2 is not ssd: its 3 pods do not count for zone a; b = 1; w = ln 4: a1 0, b1 1.39 → 1
        Scored s = score(plugin, onSsd(web("in", soft(1, ZONE))), all(webOn("a2", 3), webOn("b1", 1)), "a1", "b1");
        assertThat(s.raw()).containsExactly(0, 1);
        // min 0, max 1: a1 100·(1 + 0 − 0)/1 = 100, b1 0
        assertThat(s.normalized()).containsExactly(100, 0);
    }

    @Test
    void hostnameCountsThePodsOnTheNodeItself() {
        PodTopologySpread plugin = new PodTopologySpread(List.of());
        // hostname maxSkew 2 over 3 scored nodes: w = ln 5 = 1.609438; a1: 3·1.609438 + 1 = 5.83 → 5,
        // a2: 1.609438 + 1 = 2.61 → 2, b1: 0 + 1 = 1
        Scored s = score(plugin, web("in", soft(2, HOST)), all(webOn("a1", 3), webOn("a2", 1)), "a1", "a2", "b1");
        assertThat(s.raw()).containsExactly(5, 2, 1);
        // min 1, max 5: 100·(6 − s)/5 → a1 20, a2 80, b1 100
        assertThat(s.normalized()).containsExactly(20, 80, 100);
    }

    @Test
    void noMatchingPodsScoreEveryNodeTheSameAndIgnoredNodesZero() {
        PodTopologySpread plugin = new PodTopologySpread(List.of());
        // raw 0 everywhere (maxSkew 1 adds 0): max 0 → 100; x1 lacks the zone key → 0
        Scored s = score(plugin, web("in", soft(1, ZONE)), List.of(), "a1", "x1", "b1");
        assertThat(s.raw()).containsExactly(0, -1, 0);
        assertThat(s.normalized()).containsExactly(100, 0, 100);
    }

    record SkipCase(String name, List<TopologySpreadConstraint> defaults, PodRequest incoming, boolean skip) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<SkipCase> preScoreSkips() {
        List<TopologySpreadConstraint> sys = PodTopologySpread.SYSTEM_DEFAULTS;
        return Stream.of(
                new SkipCase("system defaults, ReplicaSet pod: scored", sys, rsPod("in"), false),
                new SkipCase(
                        "system defaults, pod no controller or Service selects: SKIP",
                        sys,
                        p(pod("in", "prod", 100, 1).build(), "ns", Map.of("app", "api"), List.of()),
                        true),
                new SkipCase("system defaults, orphan pod the ReplicaSet selects: scored", sys, web("in"), false),
                new SkipCase("no default constraints: SKIP", List.of(), rsPod("in"), true),
                new SkipCase("DoNotSchedule defaults only: SKIP", List.of(hard(1, ZONE)), rsPod("in"), true),
                new SkipCase(
                        "own DoNotSchedule constraints only: no defaults, SKIP",
                        sys,
                        rsPod("in").withTopology(Map.of("app", "web"), PodAffinity.NONE, List.of(hard(1, ZONE))),
                        true),
                new SkipCase("own ScheduleAnyway constraint: scored", List.of(), web("in", soft(1, ZONE)), false));
    }

    @ParameterizedTest
    @MethodSource("preScoreSkips")
    void preScoreSkipsWhenNoScheduleAnywayConstraintApplies(SkipCase c) {
        Scored s = score(new PodTopologySpread(c.defaults()), c.incoming(), webOn("a1", 1), "a1", "b1");
        assertThat(s.pre()).isSameAs(c.skip() ? Status.SKIP : Status.SUCCESS);
    }

    @Test
    void systemDefaultsAreKubeSchedulers() {
        assertThat(PodTopologySpread.SYSTEM_DEFAULTS)
                .extracting(
                        TopologySpreadConstraint::topologyKey,
                        TopologySpreadConstraint::maxSkew,
                        TopologySpreadConstraint::doNotSchedule)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kubernetes.io/hostname", 3, false),
                        org.assertj.core.groups.Tuple.tuple("topology.kubernetes.io/zone", 5, false));
    }
}
