package io.qshard.cli.parity;

import static io.qshard.cli.parity.ParityCluster.A1;
import static io.qshard.cli.parity.ParityCluster.A2;
import static io.qshard.cli.parity.ParityCluster.A3;
import static io.qshard.cli.parity.ParityCluster.B1;
import static io.qshard.cli.parity.ParityCluster.B2;
import static io.qshard.cli.parity.ParityCluster.B3;
import static io.qshard.cli.parity.ParityCluster.C1;
import static io.qshard.cli.parity.ParityCluster.C2;
import static io.qshard.cli.parity.ParityCluster.NZ;
import static io.qshard.cli.parity.Shape.HOST;
import static io.qshard.cli.parity.Shape.ZONE;
import static io.qshard.cli.parity.Shape.pod;
import static io.qshard.cli.parity.Shape.probe;
import static io.qshard.cli.parity.TopologyCases.c;
import static io.qshard.cli.parity.TopologyCases.everyNode;
import static io.qshard.cli.parity.TopologyCases.existing;
import static io.qshard.cli.parity.TopologyCases.on;
import static io.qshard.cli.parity.TopologyCases.only;

import io.qshard.cli.parity.Shape.Affinity;
import io.qshard.cli.parity.Shape.Term;
import io.qshard.cli.parity.Shape.Weighted;
import java.util.List;

/**
 * Inter-pod affinity scoring: the probe's preferred terms, existing pods' preferred terms and required affinity
 * (hardPodAffinityWeight), weights and 1.20's normalisation.
 */
final class PreferredAffinityCases {
    private PreferredAffinityCases() {}

    static List<ParityCase> all() {
        return List.of(
                c(
                        "existing-required-affinity-scores",
                        "an existing pod's required affinity scores (hardPodAffinityWeight)",
                        "the db pod on a3 requires app=probe on its node: a3 gets weight 1 → 100; 73+100 > c2's 93",
                        existing(on(A3, pod("app", "db").affinity(Affinity.required(Term.of(HOST, "app", "probe"))))),
                        probe(),
                        everyNode(),
                        A3),
                c(
                        "preferred-affinity-hostname",
                        "preferred affinity decides; resource alone would pick c2",
                        "b1 hosts app=db: 100 for b1, 0 elsewhere; 57+100 > c2's 93",
                        existing(on(B1, pod("app", "db"))),
                        probe().affinity(Affinity.preferred(new Weighted(50, Term.of(HOST, "app", "db")))),
                        everyNode(),
                        B1),
                c(
                        "preferred-anti-affinity-zone",
                        "preferred anti-affinity, zone",
                        "zone-c hosts two app=web pods: c1, c2 score 0, the rest 100; nz (84) beats b3 (80)",
                        existing(on(C1, pod("app", "web")), on(C2, pod("app", "web"))),
                        probe().affinity(Affinity.preferredAnti(new Weighted(100, Term.of(ZONE, "app", "web")))),
                        everyNode(),
                        NZ),
                c(
                        "preferred-affinity-weights",
                        "two preferred terms of different weights",
                        "a1 gets 80 → 100, a3 10 → 12: 46+100 beats a3's 73+12 and c2's 93",
                        existing(on(A1, pod("app", "db")), on(A3, pod("app", "cache"))),
                        probe().affinity(Affinity.preferred(
                                new Weighted(80, Term.of(HOST, "app", "db")),
                                new Weighted(10, Term.of(HOST, "app", "cache")))),
                        everyNode(),
                        A1),
                c(
                        "required-zone-preferred-anti-hostname",
                        "required affinity filters, preferred anti-affinity scores",
                        "zones a, b host app=db; a3, b3 host app=web (score 0, others 100): b2 (71+100) best",
                        existing(
                                on(A1, pod("app", "db")),
                                on(B1, pod("app", "db")),
                                on(A3, pod("app", "web")),
                                on(B3, pod("app", "web"))),
                        probe().affinity(Affinity.required(Term.of(ZONE, "app", "db"))
                                .andPreferredAnti(new Weighted(100, Term.of(HOST, "app", "web")))),
                        only(A1, A2, A3, B1, B2, B3),
                        B2),
                c(
                        "preferred-affinity-normalisation",
                        "1.20's NormalizeScore starts min and max at 0",
                        "only a1, c2 allowed; raw 300 (a1) and 200 (c2) normalise to 100 and 66 in 1.20 (0 in 1.21+): "
                                + "c2 92+66 beats a1 40+100",
                        existing(
                                on(A1, pod("app", "db")),
                                on(A1, pod("app", "db")),
                                on(A1, pod("app", "db")),
                                on(C2, pod("app", "db")),
                                on(C2, pod("app", "db"))),
                        probe().hostIn(A1, C2)
                                .affinity(Affinity.preferred(new Weighted(100, Term.of(HOST, "app", "db")))),
                        only(A1, C2),
                        C2),
                c(
                        "existing-preferred-affinity",
                        "an existing pod's preferred affinity towards the probe",
                        "the db pod on a2 prefers app=probe on its node: a2 100; 64+100 > c2's 93",
                        existing(on(
                                A2,
                                pod("app", "db")
                                        .affinity(
                                                Affinity.preferred(new Weighted(100, Term.of(HOST, "app", "probe")))))),
                        probe(),
                        everyNode(),
                        A2),
                c(
                        "existing-preferred-anti-affinity",
                        "an existing pod's preferred anti-affinity against the probe",
                        "the db pod on c2 dislikes app=probe in zone-c: c1, c2 0, the rest 100; nz (84) best",
                        existing(on(
                                C2,
                                pod("app", "db")
                                        .affinity(Affinity.preferredAnti(
                                                new Weighted(100, Term.of(ZONE, "app", "probe")))))),
                        probe(),
                        everyNode(),
                        NZ));
    }
}
