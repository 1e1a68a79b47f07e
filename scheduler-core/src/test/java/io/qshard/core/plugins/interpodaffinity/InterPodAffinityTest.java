package io.qshard.core.plugins.interpodaffinity;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinity.Weighted;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests of kube-scheduler 1.20's inter-pod affinity. The cluster: this shard's nodes a1, a2 (zone a), b1 (zone
 * b), x1 (no zone label), every node with its hostname label; o1 (zone a) belongs to another shard; "ghost" is a node
 * name no node has. Namespace "other" is labelled team=x, "third" has no labels; pods are in "ns" unless said.
 */
class InterPodAffinityTest {
    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final List<String> SHARD = List.of("a1", "a2", "b1", "x1");

    private static ClusterSnapshot cluster(PodRequest... bound) {
        ClusterState state = new ClusterState();
        state.upsertNode(node("a1", 4000, 8).label(HOST, "a1").label(ZONE, "a").build());
        state.upsertNode(node("a2", 4000, 8).label(HOST, "a2").label(ZONE, "a").build());
        state.upsertNode(node("b1", 4000, 8).label(HOST, "b1").label(ZONE, "b").build());
        state.upsertNode(node("x1", 4000, 8).label(HOST, "x1").build());
        state.observeNode(node("o1", 4000, 8).label(HOST, "o1").label(ZONE, "a").build());
        state.namespaceLabels("other", Map.of("team", "x"));
        state.namespaceLabels("third", Map.of());
        for (PodRequest p : bound) {
            state.upsertPod(p);
        }
        return state.snapshot();
    }

    private static LabelSelector sel(String k, String v) {
        return LabelSelector.of(Map.of(k, v), List.of());
    }

    /** A term over namespace "ns" (what the converter fills in for a term without namespaces). */
    private static PodAffinityTerm term(String app, String key) {
        return new PodAffinityTerm(sel("app", app), Set.of("ns"), null, key);
    }

    private static PodAffinityTerm term(LabelSelector s, String key, Set<String> ns, LabelSelector nsSelector) {
        return new PodAffinityTerm(s, ns, nsSelector, key);
    }

    private static PodAffinity required(PodAffinityTerm... t) {
        return new PodAffinity(List.of(t), List.of(), List.of(), List.of());
    }

    private static PodAffinity anti(PodAffinityTerm... t) {
        return new PodAffinity(List.of(), List.of(), List.of(t), List.of());
    }

    private static PodAffinity preferred(List<Weighted> affinity, List<Weighted> antiAffinity) {
        return new PodAffinity(List.of(), affinity, List.of(), antiAffinity);
    }

    private static PodRequest p(String uid, String ns, Map<String, String> labels, PodAffinity affinity) {
        PodRequest b = pod(uid, "prod", 100, 1).build();
        return new PodRequest(
                b.uid(),
                ns,
                b.name(),
                b.tier(),
                b.poolRule(),
                b.requests(),
                b.nodeSelector(),
                b.affinity(),
                b.tolerations(),
                b.priority(),
                b.creationTime(),
                b.owner(),
                null,
                labels,
                affinity,
                List.of(),
                false);
    }

    private static PodRequest app(String uid, String app, PodAffinity affinity) {
        return p(uid, "ns", Map.of("app", app), affinity);
    }

    private static PodRequest web(String uid) {
        return app(uid, "web", PodAffinity.NONE);
    }

    private static PodRequest on(PodRequest pod, String node) {
        return pod.boundTo(node);
    }

    // ---------------------------------------------------------------- Filter

    record FilterCase(String name, List<PodRequest> bound, PodRequest incoming, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FilterCase> filterCases() {
        PodAffinityTerm antiWebHost = term("web", HOST);
        PodAffinityTerm antiWebZone = term("web", ZONE);
        PodAffinity twoTerms = required(term("web", ZONE), term(sel("tier", "front"), HOST, Set.of("ns"), null));
        Map<String, String> webFront = Map.of("app", "web", "tier", "front");
        return Stream.of(
                new FilterCase("no terms anywhere: SKIP", List.of(on(web("w"), "a1")), web("in"), "SKIP"),
                new FilterCase(
                        "anti hostname: only the pod's node",
                        List.of(on(web("w"), "a1")),
                        app("in", "api", anti(antiWebHost)),
                        "a1:anti a2:ok b1:ok x1:ok"),
                new FilterCase(
                        "anti zone: the whole zone; no zone label passes",
                        List.of(on(web("w"), "a1")),
                        app("in", "api", anti(antiWebZone)),
                        "a1:anti a2:anti b1:ok x1:ok"),
                new FilterCase(
                        "anti zone: a pod on another shard's node counts",
                        List.of(on(web("w"), "o1")),
                        app("in", "api", anti(antiWebZone)),
                        "a1:anti a2:anti b1:ok x1:ok"),
                new FilterCase(
                        "anti: pods on an unknown node are ignored",
                        List.of(on(web("w"), "ghost")),
                        app("in", "api", anti(antiWebZone)),
                        "SKIP"),
                new FilterCase(
                        "anti: terminating pods count (1.20)",
                        List.of(on(web("w"), "a1").withTerminating(true)),
                        app("in", "api", anti(antiWebHost)),
                        "a1:anti a2:ok b1:ok x1:ok"),
                new FilterCase(
                        "anti: a pod in another namespace is not selected",
                        List.of(on(p("w", "other", Map.of("app", "web"), PodAffinity.NONE), "a1")),
                        app("in", "api", anti(antiWebHost)),
                        "SKIP"),
                new FilterCase(
                        "anti: namespaces listing that namespace",
                        List.of(on(p("w", "other", Map.of("app", "web"), PodAffinity.NONE), "a1")),
                        app("in", "api", anti(term(sel("app", "web"), HOST, Set.of("other"), null))),
                        "a1:anti a2:ok b1:ok x1:ok"),
                new FilterCase(
                        "anti: namespaceSelector team=x selects namespace other",
                        List.of(
                                on(p("w", "other", Map.of("app", "web"), PodAffinity.NONE), "a1"),
                                on(p("v", "third", Map.of("app", "web"), PodAffinity.NONE), "b1")),
                        app("in", "api", anti(term(sel("app", "web"), HOST, Set.of(), sel("team", "x")))),
                        "a1:anti a2:ok b1:ok x1:ok"),
                new FilterCase(
                        "anti: empty namespaceSelector selects every namespace",
                        List.of(on(p("v", "third", Map.of("app", "web"), PodAffinity.NONE), "b1")),
                        app("in", "api", anti(term(sel("app", "web"), HOST, Set.of(), LabelSelector.EVERYTHING))),
                        "a1:ok a2:ok b1:anti x1:ok"),
                new FilterCase(
                        "symmetry hostname: an existing pod's anti term selects the pod",
                        List.of(on(app("d", "db", anti(antiWebHost)), "a1")),
                        web("in"),
                        "a1:exist a2:ok b1:ok x1:ok"),
                new FilterCase(
                        "symmetry zone: another shard's node forbids its zone",
                        List.of(on(app("d", "db", anti(antiWebZone)), "o1")),
                        web("in"),
                        "a1:exist a2:exist b1:ok x1:ok"),
                new FilterCase(
                        "symmetry: the term does not select the pod",
                        List.of(on(app("d", "db", anti(antiWebHost)), "a1")),
                        app("in", "api", PodAffinity.NONE),
                        "SKIP"),
                new FilterCase(
                        "symmetry: the term's namespace is the existing pod's own",
                        List.of(on(
                                p(
                                        "d",
                                        "other",
                                        Map.of("app", "db"),
                                        anti(term(sel("app", "web"), HOST, Set.of("other"), null))),
                                "a1")),
                        web("in"),
                        "SKIP"),
                new FilterCase(
                        "symmetry: namespaceSelector read against the incoming pod's namespace",
                        List.of(on(
                                p(
                                        "d",
                                        "ns",
                                        Map.of("app", "db"),
                                        anti(term(sel("app", "web"), HOST, Set.of(), sel("team", "x")))),
                                "a1")),
                        p("in", "other", Map.of("app", "web"), PodAffinity.NONE),
                        "a1:exist a2:ok b1:ok x1:ok"),
                new FilterCase(
                        "affinity zone: the zone of a matching pod; no zone label fails",
                        List.of(on(web("w"), "b1")),
                        app("in", "api", required(term("web", ZONE))),
                        "a1:aff a2:aff b1:ok x1:aff"),
                new FilterCase(
                        "affinity hostname",
                        List.of(on(web("w"), "a2")),
                        app("in", "api", required(term("web", HOST))),
                        "a1:aff a2:ok b1:aff x1:aff"),
                new FilterCase(
                        "first pod: no match anywhere, matches its own term: any node with the key",
                        List.of(),
                        app("in", "web", required(term("web", ZONE))),
                        "a1:ok a2:ok b1:ok x1:aff"),
                new FilterCase(
                        "first pod rule needs the pod to match its own terms",
                        List.of(),
                        app("in", "api", required(term("web", ZONE))),
                        "a1:aff a2:aff b1:aff x1:aff"),
                new FilterCase(
                        "first pod: matching pods only on nodes without the key count as none",
                        List.of(on(web("w"), "x1"), on(web("g"), "ghost")),
                        app("in", "web", required(term("web", ZONE))),
                        "a1:ok a2:ok b1:ok x1:aff"),
                new FilterCase(
                        "affinity: a pod counts only if it matches ALL terms (none does: first pod)",
                        List.of(on(web("w"), "a1"), on(p("f", "ns", Map.of("tier", "front"), PodAffinity.NONE), "b1")),
                        p("in", "ns", webFront, twoTerms),
                        "a1:ok a2:ok b1:ok x1:aff"),
                new FilterCase(
                        "affinity: ALL terms, and the pod does not match its own",
                        List.of(on(web("w"), "a1")),
                        app("in", "api", twoTerms),
                        "a1:aff a2:aff b1:aff x1:aff"),
                new FilterCase(
                        "affinity: a pod matching both terms on a2: zone a and host a2",
                        List.of(on(p("wf", "ns", webFront, PodAffinity.NONE), "a2")),
                        p("in", "ns", webFront, twoTerms),
                        "a1:aff a2:ok b1:aff x1:aff"),
                new FilterCase(
                        "order: affinity, then the pod's anti-affinity, then existing pods'",
                        List.of(
                                on(app("d", "db", PodAffinity.NONE), "b1"),
                                on(app("w", "web", anti(antiWebHost)), "b1")),
                        app(
                                "in",
                                "web",
                                new PodAffinity(List.of(term("db", ZONE)), List.of(), List.of(antiWebHost), List.of())),
                        "a1:aff a2:aff b1:anti x1:aff"),
                new FilterCase(
                        "order: a1 fails the pod's anti-affinity and db's (zone a): the pod's is reported",
                        List.of(on(app("d", "db", anti(antiWebZone)), "a1"), on(web("w"), "a1")),
                        app("in", "web", anti(antiWebHost)),
                        "a1:anti a2:exist b1:ok x1:ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(FilterCase c) {
        ClusterSnapshot s = cluster(c.bound().toArray(PodRequest[]::new));
        InterPodAffinity plugin = new InterPodAffinity(InterPodAffinity.DEFAULT_HARD_POD_AFFINITY_WEIGHT);
        CycleState state = new CycleState();
        Status pre = plugin.preFilter(state, c.incoming(), s);
        String got;
        if (pre.code() == Status.Code.SKIP) {
            got = "SKIP";
        } else {
            assertThat(pre).isSameAs(Status.SUCCESS);
            got = SHARD.stream()
                    .map(n -> n + ":"
                            + verdict(
                                    plugin.filter(state, c.incoming(), s.node(n).orElseThrow())))
                    .collect(Collectors.joining(" "));
        }
        assertThat(got).isEqualTo(c.expected());
    }

    private static String verdict(Status s) {
        if (s.equals(Status.SUCCESS)) {
            return "ok";
        } else if (s.equals(InterPodAffinity.AFFINITY_FAILED)) {
            return "aff";
        } else if (s.equals(InterPodAffinity.ANTI_AFFINITY_FAILED)) {
            return "anti";
        } else if (s.equals(InterPodAffinity.EXISTING_ANTI_AFFINITY_FAILED)) {
            return "exist";
        }
        return s.toString();
    }

    @Test
    void reasonsAndCodesAreKubeScheduler120s() {
        assertThat(InterPodAffinity.AFFINITY_FAILED.code()).isEqualTo(Status.Code.UNRESOLVABLE);
        assertThat(InterPodAffinity.AFFINITY_FAILED.reasons())
                .containsExactly(
                        "node(s) didn't match pod affinity/anti-affinity", "node(s) didn't match pod affinity rules");
        assertThat(InterPodAffinity.ANTI_AFFINITY_FAILED.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(InterPodAffinity.ANTI_AFFINITY_FAILED.reasons())
                .containsExactly(
                        "node(s) didn't match pod affinity/anti-affinity",
                        "node(s) didn't match pod anti-affinity rules");
        assertThat(InterPodAffinity.EXISTING_ANTI_AFFINITY_FAILED.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(InterPodAffinity.EXISTING_ANTI_AFFINITY_FAILED.reasons())
                .containsExactly(
                        "node(s) didn't match pod affinity/anti-affinity",
                        "node(s) didn't satisfy existing pods anti-affinity rules");
        assertThat(InterPodAffinity.AFFINITY_FAILED.plugin()).isEqualTo(InterPodAffinity.NAME);
    }

    // ---------------------------------------------------------------- Score

    record ScoreCase(String name, int hardWeight, List<PodRequest> bound, PodRequest incoming, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Expected: raw scores of a1 a2 b1 x1, then "->", then the normalised ones; or SKIP. */
    static Stream<ScoreCase> scoreCases() {
        int dflt = InterPodAffinity.DEFAULT_HARD_POD_AFFINITY_WEIGHT;
        Weighted webZone10 = new Weighted(10, term("web", ZONE));
        PodRequest webAffinity = app("in", "api", preferred(List.of(webZone10), List.of()));
        PodAffinity needsWebInZone = required(term("web", ZONE));
        return Stream.of(
                // zone a: 2 pods × 10 = 20 (a1, a2); zone b: 10; x1 no zone: 0. min 0, max 20: 100·20/20, 100·10/20
                new ScoreCase(
                        "preferred affinity: +w per matching pod in the domain",
                        dflt,
                        List.of(on(web("w1"), "a1"), on(web("w2"), "a1"), on(web("w3"), "b1")),
                        webAffinity,
                        "20 20 10 0 -> 100 100 50 0"),
                // another shard's node o1 is in zone a: a1, a2 get 10; min 0, max 10
                new ScoreCase(
                        "preferred affinity: another shard's node counts for its zone",
                        dflt,
                        List.of(on(web("w1"), "o1")),
                        webAffinity,
                        "10 10 0 0 -> 100 100 0 0"),
                // a1: −5·2; b1: −5. min −10, max 0: a1 0, a2 100·10/10, b1 100·5/10, x1 100·10/10
                new ScoreCase(
                        "preferred anti-affinity: negative scores normalised from the minimum",
                        dflt,
                        List.of(on(web("w1"), "a1"), on(web("w2"), "a1"), on(web("w3"), "b1")),
                        app("in", "api", preferred(List.of(), List.of(new Weighted(5, term("web", HOST))))),
                        "-10 0 -5 0 -> 0 100 50 100"),
                // a1: −20 (web on a1); b1: +30 (db in zone b) −20 (web on b1) = 10. min −20, max 10, diff 30:
                // a1 0; a2, x1: 100·20/30 = 66.67 → 66; b1 100
                new ScoreCase(
                        "preferred affinity and anti-affinity together",
                        dflt,
                        List.of(on(app("d", "db", PodAffinity.NONE), "b1"), on(web("w1"), "b1"), on(web("w2"), "a1")),
                        app(
                                "in",
                                "api",
                                preferred(
                                        List.of(new Weighted(30, term("db", ZONE))),
                                        List.of(new Weighted(20, term("web", HOST))))),
                        "-20 0 10 0 -> 0 66 100 66"),
                // an existing pod's required affinity to web in its zone: + hardPodAffinityWeight (1) per pod
                new ScoreCase(
                        "existing required affinity × hardPodAffinityWeight 1",
                        dflt,
                        List.of(on(app("d", "db", needsWebInZone), "a1")),
                        web("in"),
                        "1 1 0 0 -> 100 100 0 0"),
                // two such pods, weight 3: 2 × 3 = 6 in zone a
                new ScoreCase(
                        "existing required affinity × hardPodAffinityWeight 3, two pods",
                        3,
                        List.of(on(app("d1", "db", needsWebInZone), "a1"), on(app("d2", "db", needsWebInZone), "a2")),
                        web("in"),
                        "6 6 0 0 -> 100 100 0 0"),
                new ScoreCase(
                        "hardPodAffinityWeight 0: existing required affinity does not score",
                        0,
                        List.of(on(app("d", "db", needsWebInZone), "a1")),
                        web("in"),
                        "SKIP"),
                // a2: +7 (db's preferred affinity to web, hostname); zone b: −3 (cache's preferred anti, zone).
                // min −3, max 7, diff 10: a1, x1 100·3/10 = 30; a2 100; b1 0
                new ScoreCase(
                        "existing pods' preferred affinity and anti-affinity selecting the pod",
                        dflt,
                        List.of(
                                on(
                                        app(
                                                "d",
                                                "db",
                                                preferred(List.of(new Weighted(7, term("web", HOST))), List.of())),
                                        "a2"),
                                on(
                                        app(
                                                "c",
                                                "cache",
                                                preferred(List.of(), List.of(new Weighted(3, term("web", ZONE))))),
                                        "b1")),
                        web("in"),
                        "0 7 -3 0 -> 30 100 0 30"),
                // a1: +100 (hostname, web); b1: +29 (zone, db). min 0, max 100: b1 = int64(100.0 · (29.0/100.0))
                // = int64(28.999999999999996) = 28 in float64, as 1.20 computes (integer arithmetic would say 29)
                new ScoreCase(
                        "normalisation in float64, truncated",
                        dflt,
                        List.of(on(web("w"), "a1"), on(app("d", "db", PodAffinity.NONE), "b1")),
                        app(
                                "in",
                                "api",
                                preferred(
                                        List.of(
                                                new Weighted(100, term("web", HOST)),
                                                new Weighted(29, term("db", ZONE))),
                                        List.of())),
                        "100 0 29 0 -> 100 0 28 0"),
                new ScoreCase(
                        "terminating pods count (1.20)",
                        dflt,
                        List.of(on(web("w"), "b1").withTerminating(true)),
                        webAffinity,
                        "0 0 10 0 -> 0 0 100 0"),
                new ScoreCase(
                        "pods on unknown nodes add nothing: SKIP",
                        dflt,
                        List.of(on(web("w"), "ghost")),
                        webAffinity,
                        "SKIP"),
                new ScoreCase(
                        "pods in other namespaces are not selected: SKIP",
                        dflt,
                        List.of(on(p("w", "other", Map.of("app", "web"), PodAffinity.NONE), "a1")),
                        webAffinity,
                        "SKIP"),
                // zone a: +10 − 10 = 0 everywhere
                new ScoreCase(
                        "contributions cancelling out: SKIP",
                        dflt,
                        List.of(on(web("w"), "a1")),
                        app("in", "api", preferred(List.of(webZone10), List.of(new Weighted(10, term("web", ZONE))))),
                        "SKIP"),
                new ScoreCase(
                        "no terms selecting the pod anywhere: SKIP",
                        dflt,
                        List.of(on(app("d", "db", anti(term("web", HOST))), "a1")),
                        web("in"),
                        "SKIP"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(ScoreCase c) {
        ClusterSnapshot s = cluster(c.bound().toArray(PodRequest[]::new));
        InterPodAffinity plugin = new InterPodAffinity(c.hardWeight());
        NodeState[] feasible = SHARD.stream().map(n -> s.node(n).orElseThrow()).toArray(NodeState[]::new);
        CycleState state = new CycleState();
        String got;
        if (plugin.preScore(state, c.incoming(), s, feasible, feasible.length).code() == Status.Code.SKIP) {
            got = "SKIP";
        } else {
            long[] scores = new long[feasible.length];
            plugin.scoreAll(state, c.incoming(), feasible, feasible.length, scores);
            String raw = join(scores);
            plugin.normalize(state, c.incoming(), scores, scores.length);
            got = raw + " -> " + join(scores);
        }
        assertThat(got).isEqualTo(c.expected());
    }

    private static String join(long[] v) {
        return Arrays.stream(v).mapToObj(Long::toString).collect(Collectors.joining(" "));
    }

    @Test
    void normaliseStartsMinAndMaxAtZero() {
        InterPodAffinity plugin = new InterPodAffinity(1);
        long[] positive = {5, 5};
        plugin.normalize(null, null, positive, 2);
        assertThat(positive).containsExactly(100, 100); // min 0, max 5: 100·5/5
        long[] negative = {-5, -5};
        plugin.normalize(null, null, negative, 2);
        assertThat(negative).containsExactly(0, 0); // min −5, max 0: 100·0/5
        long[] fromZero = {3, 5};
        plugin.normalize(null, null, fromZero, 2);
        assertThat(fromZero).containsExactly(60, 100); // min 0 (not 3): 100·3/5, 100·5/5; 1.21+ would say 0, 100
        long[] upToZero = {-5, -3};
        plugin.normalize(null, null, upToZero, 2);
        assertThat(upToZero).containsExactly(0, 40); // max 0 (not −3): 100·0/5, 100·2/5
        long[] zero = {0, 0, 0};
        plugin.normalize(null, null, zero, 3);
        assertThat(zero).containsExactly(0, 0, 0); // max == min: 0
    }

    @Test
    void noTermsAnywhereSkipsBothWithoutLookingFurther() {
        InterPodAffinity plugin = new InterPodAffinity(1);
        ClusterSnapshot s = cluster(on(web("w"), "a1"));
        assertThat(s.topology().hasAffinityPods()).isFalse();
        assertThat(plugin.preFilter(new CycleState(), web("in"), s)).isSameAs(Status.SKIP);
        assertThat(plugin.preScore(new CycleState(), web("in"), s, new NodeState[0], 0))
                .isSameAs(Status.SKIP);
    }

    @Test
    void hardPodAffinityWeightOutOfRangeIsRejectedByName() {
        assertThatThrownBy(() -> new InterPodAffinity(-1)).hasMessageContaining("hardPodAffinityWeight");
        assertThatThrownBy(() -> new InterPodAffinity(101)).hasMessageContaining("hardPodAffinityWeight");
        assertThat(new InterPodAffinity(100).nodeLocal()).isFalse();
    }
}
