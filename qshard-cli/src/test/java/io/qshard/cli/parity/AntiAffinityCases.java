package io.qshard.cli.parity;

import static io.qshard.cli.parity.ParityCluster.A1;
import static io.qshard.cli.parity.ParityCluster.A3;
import static io.qshard.cli.parity.ParityCluster.B3;
import static io.qshard.cli.parity.ParityCluster.C1;
import static io.qshard.cli.parity.ParityCluster.C2;
import static io.qshard.cli.parity.ParityCluster.NZ;
import static io.qshard.cli.parity.Shape.HOST;
import static io.qshard.cli.parity.Shape.OTHER;
import static io.qshard.cli.parity.Shape.OWN;
import static io.qshard.cli.parity.Shape.THIRD;
import static io.qshard.cli.parity.Shape.ZONE;
import static io.qshard.cli.parity.Shape.pod;
import static io.qshard.cli.parity.Shape.probe;
import static io.qshard.cli.parity.TopologyCases.allBut;
import static io.qshard.cli.parity.TopologyCases.c;
import static io.qshard.cli.parity.TopologyCases.everyNode;
import static io.qshard.cli.parity.TopologyCases.existing;
import static io.qshard.cli.parity.TopologyCases.on;
import static io.qshard.cli.parity.TopologyCases.terminatingOn;

import io.qshard.cli.parity.Shape.Affinity;
import io.qshard.cli.parity.Shape.Term;
import java.util.List;

/**
 * Required pod anti-affinity cases and the symmetry rule (an existing pod's anti-affinity keeps matching pods out of
 * its domain), with namespaces, nodes without the topology label and terminating pods.
 */
final class AntiAffinityCases {
    private AntiAffinityCases() {}

    static List<ParityCase> all() {
        return List.of(
                c(
                        "anti-affinity-term-namespaces",
                        "anti-affinity term listing one namespace",
                        "only the app=web pod of 'other' (c2) counts; c1 (86) beats nz (83)",
                        existing(
                                on(C2, pod("app", "web").in(OTHER)),
                                on(C1, pod("app", "web").in(THIRD)),
                                on(NZ, pod("app", "web").in(OWN))),
                        probe().affinity(Affinity.requiredAnti(
                                Term.of(HOST, "app", "web").namespaces(OTHER))),
                        allBut(C2),
                        C1),
                c(
                        "symmetry-term-default-namespace",
                        "an existing pod's anti-affinity selects its own namespace",
                        "the pod on c2 (namespace other) repels app=probe pods of 'other' only: c2 stays best",
                        existing(on(
                                C2,
                                pod("app", "db")
                                        .in(OTHER)
                                        .affinity(Affinity.requiredAnti(Term.of(HOST, "app", "probe"))))),
                        probe(),
                        everyNode(),
                        C2),
                c(
                        "symmetry-term-namespaces",
                        "an existing pod's anti-affinity naming the probe's namespace",
                        "the pod on c2 repels app=probe pods of 'own': not c2; c1 (87) is next",
                        existing(on(
                                C2,
                                pod("app", "db")
                                        .in(OTHER)
                                        .affinity(Affinity.requiredAnti(
                                                Term.of(HOST, "app", "probe").namespaces(OWN))))),
                        probe(),
                        allBut(C2),
                        C1),
                c(
                        "anti-affinity-hostname",
                        "required anti-affinity, hostname; resource alone would pick c2",
                        "app=web on a1, b3, c2 excludes them; c1 (87) is best of the rest",
                        existing(on(A1, pod("app", "web")), on(B3, pod("app", "web")), on(C2, pod("app", "web"))),
                        probe().labels("app", "web").affinity(Affinity.requiredAnti(Term.of(HOST, "app", "web"))),
                        allBut(A1, B3, C2),
                        C1),
                c(
                        "anti-affinity-zone",
                        "required anti-affinity, zone; the unlabelled node stays allowed",
                        "app=web in zone-c excludes c1, c2; nz lacks the key and is allowed: nz (84) beats b3 (80)",
                        existing(on(C1, pod("app", "web"))),
                        probe().affinity(Affinity.requiredAnti(Term.of(ZONE, "app", "web"))),
                        allBut(C1, C2),
                        NZ),
                c(
                        "anti-affinity-zone-pod-on-unlabelled-node",
                        "anti-affinity match on a node without the key",
                        "the app=web pod on nz is in no zone: nothing excluded; c2 is resource-best",
                        existing(on(NZ, pod("app", "web"))),
                        probe().affinity(Affinity.requiredAnti(Term.of(ZONE, "app", "web"))),
                        everyNode(),
                        C2),
                c(
                        "anti-affinity-two-terms",
                        "two anti-affinity terms, each matched by a different pod",
                        "anti terms count separately: a3 (db, hostname) and zone-c (cache) excluded; nz (84) best",
                        existing(on(A3, pod("app", "db")), on(C1, pod("app", "cache"))),
                        probe().affinity(Affinity.requiredAnti(
                                Term.of(HOST, "app", "db"), Term.of(ZONE, "app", "cache"))),
                        allBut(A3, C1, C2),
                        NZ),
                c(
                        "anti-affinity-notin",
                        "anti-affinity with NotIn (matches pods without the label too)",
                        "app NotIn (web) matches the db pod (c2) and the unlabelled pod (nz); c1 (86) beats b3 (80)",
                        existing(on(C2, pod("app", "db")), on(C1, pod("app", "web")), on(NZ, pod())),
                        probe().labels("app", "web")
                                .affinity(Affinity.requiredAnti(Term.expr(HOST, "app", "NotIn", "web"))),
                        allBut(C2, NZ),
                        C1),
                c(
                        "anti-affinity-terminating-pod",
                        "anti-affinity against a terminating pod",
                        "1.20's inter-pod affinity still counts pods being deleted: not c2; c1 (87)",
                        existing(terminatingOn(C2, pod("app", "web"))),
                        probe().affinity(Affinity.requiredAnti(Term.of(HOST, "app", "web"))),
                        allBut(C2),
                        C1),
                c(
                        "anti-affinity-other-namespace-ignored",
                        "anti-affinity ignores matching pods of other namespaces",
                        "the app=web pod on c2 is in another namespace: nothing excluded, c2 best",
                        existing(on(C2, pod("app", "web").in(OTHER))),
                        probe().affinity(Affinity.requiredAnti(Term.of(HOST, "app", "web"))),
                        everyNode(),
                        C2),
                c(
                        "symmetry-hostname",
                        "symmetry: an existing pod's anti-affinity keeps the probe off its node",
                        "the db pod on c2 repels app=probe: not c2; c1 (87)",
                        existing(on(
                                C2, pod("app", "db").affinity(Affinity.requiredAnti(Term.of(HOST, "app", "probe"))))),
                        probe(),
                        allBut(C2),
                        C1),
                c(
                        "symmetry-zone",
                        "symmetry with a zone term",
                        "the db pod on c1 repels app=probe from zone-c; nz (84) beats b3 (80)",
                        existing(on(
                                C1, pod("app", "db").affinity(Affinity.requiredAnti(Term.of(ZONE, "app", "probe"))))),
                        probe(),
                        allBut(C1, C2),
                        NZ),
                c(
                        "symmetry-existing-on-unlabelled-node",
                        "symmetry when the existing pod's node lacks the key",
                        "the repelling pod sits on nz, which has no zone: no domain is closed; c2 best",
                        existing(on(
                                NZ, pod("app", "db").affinity(Affinity.requiredAnti(Term.of(ZONE, "app", "probe"))))),
                        probe(),
                        everyNode(),
                        C2));
    }
}
