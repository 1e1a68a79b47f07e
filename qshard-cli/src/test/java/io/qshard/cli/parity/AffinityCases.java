package io.qshard.cli.parity;

import static io.qshard.cli.parity.ParityCluster.A1;
import static io.qshard.cli.parity.ParityCluster.A2;
import static io.qshard.cli.parity.ParityCluster.A3;
import static io.qshard.cli.parity.ParityCluster.B1;
import static io.qshard.cli.parity.ParityCluster.B2;
import static io.qshard.cli.parity.ParityCluster.B3;
import static io.qshard.cli.parity.ParityCluster.C2;
import static io.qshard.cli.parity.ParityCluster.NZ;
import static io.qshard.cli.parity.Shape.HOST;
import static io.qshard.cli.parity.Shape.OTHER;
import static io.qshard.cli.parity.Shape.ZONE;
import static io.qshard.cli.parity.Shape.pod;
import static io.qshard.cli.parity.Shape.probe;
import static io.qshard.cli.parity.TopologyCases.allBut;
import static io.qshard.cli.parity.TopologyCases.c;
import static io.qshard.cli.parity.TopologyCases.existing;
import static io.qshard.cli.parity.TopologyCases.none;
import static io.qshard.cli.parity.TopologyCases.on;
import static io.qshard.cli.parity.TopologyCases.only;

import io.qshard.cli.parity.Shape.Affinity;
import io.qshard.cli.parity.Shape.Term;
import java.util.List;

/**
 * Required pod affinity cases: hostname and zone domains, the first-pod rule, several terms, set-based selectors,
 * namespaces.
 */
final class AffinityCases {
    private AffinityCases() {}

    static List<ParityCase> all() {
        return List.of(
                c(
                        "affinity-hostname",
                        "required affinity, hostname",
                        "only b1 hosts an app=db pod",
                        existing(on(B1, pod("app", "db"))),
                        probe().affinity(Affinity.required(Term.of(HOST, "app", "db"))),
                        only(B1),
                        B1),
                c(
                        "affinity-zone",
                        "required affinity, zone; resource alone would pick c2",
                        "zone-b hosts app=db; nz has no zone label; b3 (80) beats b2 (71) and b1 (57)",
                        existing(on(B1, pod("app", "db"))),
                        probe().affinity(Affinity.required(Term.of(ZONE, "app", "db"))),
                        only(B1, B2, B3),
                        B3),
                c(
                        "affinity-first-pod",
                        "first pod of a group: no pod matches, the pod matches its own term",
                        "allowed wherever the topology label exists (not nz); c2 is resource-best",
                        existing(),
                        probe().labels("app", "web").affinity(Affinity.required(Term.of(ZONE, "app", "web"))),
                        allBut(NZ),
                        C2),
                c(
                        "affinity-no-match-not-self",
                        "no pod matches and the pod does not match its own term",
                        "nowhere: the first-pod exception needs the pod to match its own terms",
                        existing(),
                        probe().affinity(Affinity.required(Term.of(ZONE, "app", "web"))),
                        none(),
                        null),
                c(
                        "affinity-match-only-on-unlabelled-node",
                        "first-pod rule when the only match is on nz",
                        "a match on a node without the key counts for no domain, so the first-pod rule applies",
                        existing(on(NZ, pod("app", "web"))),
                        probe().labels("app", "web").affinity(Affinity.required(Term.of(ZONE, "app", "web"))),
                        allBut(NZ),
                        C2),
                c(
                        "affinity-two-terms-one-pod",
                        "two required terms matched by one pod",
                        "the db+data pod on b1 satisfies both terms: only b1 (hostname term)",
                        existing(on(B1, pod("app", "db", "tier", "data"))),
                        probe().affinity(Affinity.required(Term.of(HOST, "app", "db"), Term.of(ZONE, "tier", "data"))),
                        only(B1),
                        B1),
                c(
                        "affinity-two-terms-split-over-pods",
                        "two required terms, each matched by a different pod",
                        "1.20 counts an existing pod only if it matches every term: no pod does, so nowhere",
                        existing(on(B1, pod("app", "db")), on(B2, pod("tier", "data"))),
                        probe().affinity(Affinity.required(Term.of(HOST, "app", "db"), Term.of(ZONE, "tier", "data"))),
                        none(),
                        null),
                c(
                        "affinity-match-expressions",
                        "required affinity with a set-based selector (In)",
                        "tier In (cache, db) matches only the pod on a2: zone-a; a3 (75) beats a2 (64), a1 (50)",
                        existing(on(A2, pod("tier", "cache")), on(C2, pod("tier", "web")), on(B3, pod("app", "x"))),
                        probe().affinity(Affinity.required(Term.expr(ZONE, "tier", "In", "cache", "db"))),
                        only(A1, A2, A3),
                        A3),
                c(
                        "affinity-default-namespace-is-own",
                        "a term without namespaces selects the pod's own namespace",
                        "the only app=db pod is in another namespace: no match, nowhere",
                        existing(on(B1, pod("app", "db").in(OTHER))),
                        probe().affinity(Affinity.required(Term.of(HOST, "app", "db"))),
                        none(),
                        null),
                c(
                        "affinity-term-namespaces",
                        "a term's namespaces list",
                        "the term names the other namespace, whose app=db pod is on b1",
                        existing(on(B1, pod("app", "db").in(OTHER))),
                        probe().affinity(Affinity.required(
                                Term.of(HOST, "app", "db").namespaces(OTHER))),
                        only(B1),
                        B1));
    }
}
