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
import static io.qshard.cli.parity.ParityCluster.ZONE_A;
import static io.qshard.cli.parity.ParityCluster.ZONE_B;
import static io.qshard.cli.parity.ParityCluster.ZONE_C;
import static io.qshard.cli.parity.Shape.HOST;
import static io.qshard.cli.parity.Shape.ZONE;
import static io.qshard.cli.parity.Shape.pod;
import static io.qshard.cli.parity.Shape.probe;
import static io.qshard.cli.parity.TopologyCases.c;
import static io.qshard.cli.parity.TopologyCases.everyNode;
import static io.qshard.cli.parity.TopologyCases.on;
import static io.qshard.cli.parity.TopologyCases.onEach;
import static io.qshard.cli.parity.TopologyCases.only;
import static io.qshard.cli.parity.TopologyCases.terminatingOn;

import io.qshard.cli.parity.Shape.Spread;
import java.util.ArrayList;
import java.util.List;

/**
 * Topology spread cases: DoNotSchedule (hostname, zone, domains narrowed by the pod's node selector or affinity,
 * terminating pods), ScheduleAnyway scoring, and the system default constraints (hostname maxSkew 3, zone maxSkew 5,
 * ScheduleAnyway) for pods of a ReplicaSet or Service. The probe is {@code app=web} unless said otherwise.
 */
final class SpreadCases {
    private static final Shape WEB = pod("app", "web");
    private static final Shape WEB_PROBE = probe().labels("app", "web");

    private SpreadCases() {}

    static List<ParityCase> all() {
        List<ParityCase> all = new ArrayList<>(List.of(
                c(
                        "spread-hostname-dns",
                        "DoNotSchedule, hostname, maxSkew 1; resource alone would pick c2",
                        "one app=web pod on every node but b2, b3 (min 0): only b2, b3; b3 (80) beats b2 (71)",
                        onEach(WEB, A1, A2, A3, B1, C1, C2, NZ),
                        WEB_PROBE.spread(Spread.dns(1, HOST, "app", "web")),
                        only(B2, B3),
                        B3),
                c(
                        "spread-zone-dns",
                        "DoNotSchedule, zone, maxSkew 1; node without the zone label",
                        "zones a 2, b 1, c 2 (the pod on nz counts nowhere): only zone-b; nz lacks the label; b3 best",
                        onEach(WEB, A1, A2, B1, C1, C2, NZ),
                        WEB_PROBE.spread(Spread.dns(1, ZONE, "app", "web")),
                        only(B1, B2, B3),
                        B3),
                c(
                        "spread-zone-dns-narrowed-by-node-affinity",
                        "domains are the zones passing the pod's node affinity",
                        "zone In (a, c) leaves domains a 2, c 2 (min 2): both allowed, b filtered; c2 (93) best",
                        onEach(WEB, A1, A2, B1, C1, C2, NZ),
                        WEB_PROBE.zoneIn(ZONE_A, ZONE_C).spread(Spread.dns(1, ZONE, "app", "web")),
                        only(A1, A2, A3, C1, C2),
                        C2),
                c(
                        "spread-hostname-dns-narrowed-by-node-selector",
                        "hostname domains narrowed by a node selector",
                        "nodeSelector zone-b: domains b1, b2, b3 with one pod each (min 1) all allowed; b3 (78)",
                        onEach(WEB, B1, B2, B3),
                        WEB_PROBE.nodeSelector(ZONE, ZONE_B).spread(Spread.dns(1, HOST, "app", "web")),
                        only(B1, B2, B3),
                        B3),
                c(
                        "spread-zone-dns-counts-whole-domains",
                        "DoNotSchedule: domains come from the nodes passing the pod's node affinity, counts from "
                                + "every node in them",
                        "hostname In (a3, b3, c2) makes zones a, b, c the domains; 1.20's Filter then counts the two "
                                + "pods on a1 (not eligible itself) for zone-a: a 2, b 0, c 0 → not a3; c2 (93) best "
                                + "(Score counts eligible nodes only: see "
                                + "spread-zone-schedule-anyway-eligible-nodes-only)",
                        onEach(WEB, A1, A1),
                        WEB_PROBE.hostIn(A3, B3, C2).spread(Spread.dns(1, ZONE, "app", "web")),
                        only(B3, C2),
                        C2),
                c(
                        "spread-pod-not-matching-own-selector",
                        "DoNotSchedule when the pod does not match the selector",
                        "the app=probe pod adds nothing to a domain: skew ≤ 1 everywhere; c2 (93) best",
                        onEach(WEB, A1, A2, A3, B1, B2, C1, C2, NZ),
                        probe().spread(Spread.dns(1, HOST, "app", "web")),
                        everyNode(),
                        C2),
                c(
                        "spread-zone-and-hostname-dns",
                        "two DoNotSchedule constraints, zone and hostname",
                        "zones 1/1/1 allow all; hostname min 0 excludes a1, b1, c2; nz lacks zone; c1 (87) best",
                        onEach(WEB, A1, B1, C2),
                        WEB_PROBE.spread(Spread.dns(1, ZONE, "app", "web"), Spread.dns(1, HOST, "app", "web")),
                        only(A2, A3, B2, B3, C1),
                        C1),
                c(
                        "spread-zone-dns-maxskew-2",
                        "DoNotSchedule, zone, maxSkew 2",
                        "zones a 2, b 1, c 3 (min 1): c would reach skew 3; b3 (80) beats a3 (75)",
                        onEach(WEB, A1, A2, B1, C1, C1, C2),
                        WEB_PROBE.spread(Spread.dns(2, ZONE, "app", "web")),
                        only(A1, A2, A3, B1, B2, B3),
                        B3),
                c(
                        "spread-terminating-pods-not-counted",
                        "terminating pods do not count for spread",
                        "c2's only app=web pod is terminating: c2 has 0 (min), every other node 1 → only c2",
                        withTerminating(onEach(WEB, A1, A2, A3, B1, B2, B3, C1, NZ), terminatingOn(C2, WEB)),
                        WEB_PROBE.spread(Spread.dns(1, HOST, "app", "web")),
                        only(C2),
                        C2),
                c(
                        "spread-hostname-schedule-anyway",
                        "ScheduleAnyway, hostname; resource alone would pick c2",
                        "one pod on every node but a2: a2 scores 100 (×2), the rest 0; 66+200 beats c2's 93",
                        onEach(WEB, A1, A3, B1, B2, B3, C1, C2, NZ),
                        WEB_PROBE.spread(Spread.anyway(1, HOST, "app", "web")),
                        everyNode(),
                        A2),
                c(
                        "spread-schedule-anyway-weight-and-skew-offset",
                        "ScheduleAnyway score: weight 2, the maxSkew − 1 offset, truncation",
                        "hostname maxSkew 3; a1 0 pods, a2 2, every other node 1: raw 2 / 4 / 6 normalise to 100 / "
                                + "66 / 33; a1 50+200 beats c2 93+132 (at weight 1 c2 would win, 159 to 150)",
                        onEach(WEB, A2, A2, A3, B1, B2, B3, C1, C2, NZ),
                        WEB_PROBE.spread(Spread.anyway(3, HOST, "app", "web")),
                        everyNode(),
                        A1),
                c(
                        "spread-zone-schedule-anyway",
                        "ScheduleAnyway, zone; the unlabelled node scores 0",
                        "zones a 0, b 3, c 3: zone-a 100 (×2), b, c and nz 0; a3 (75+200) best",
                        onEach(WEB, B1, B2, B3, C1, C1, C2),
                        WEB_PROBE.spread(Spread.anyway(1, ZONE, "app", "web")),
                        everyNode(),
                        A3),
                c(
                        "spread-zone-schedule-anyway-eligible-nodes-only",
                        "ScheduleAnyway counts only nodes passing the pod's node affinity",
                        "hostname In (a3, b3, c2): a1's three pods do not count, zones a 0, b 1, c 1 → a3 100 (×2), "
                                + "b3, c2 0: a3 75+200 beats c2 93 (counting a1 would pick c2)",
                        onEach(WEB, A1, A1, A1, B3, C2),
                        WEB_PROBE.hostIn(A3, B3, C2).spread(Spread.anyway(1, ZONE, "app", "web")),
                        only(A3, B3, C2),
                        A3),
                c(
                        "spread-dns-does-not-score",
                        "DoNotSchedule constraints filter but do not score",
                        "one pod on c2, maxSkew 5: all allowed and no spread score; c2 (93) best",
                        List.of(on(C2, WEB)),
                        WEB_PROBE.spread(Spread.dns(5, HOST, "app", "web")),
                        everyNode(),
                        C2)));
        all.addAll(defaults());
        return all;
    }

    /**
     * The system default constraints. The owned pods: b1, b2, b3 one each, c1 and c2 two each (zones a 0, b 3, c 4).
     * Hostname (maxSkew 3) and zone (maxSkew 5) ScheduleAnyway, nz ignored (no zone): raw a 6, b 13, c 17 →
     * normalised a 100, b 58, c 35 (×2), nz 0; a3 75+200 beats a2 66+200, b3 78+116 and c2 92+70.
     */
    private static List<ParityCase> defaults() {
        List<ParityCase.Existing> owned = onEach(WEB.ownedByReplicaSet(), B1, B2, B3, C1, C1, C2, C2);
        List<ParityCase.Existing> plain = onEach(WEB, B1, B2, B3, C1, C1, C2, C2);
        return List.of(
                new ParityCase(
                        "replicaset-default-spread",
                        "system default constraints for a ReplicaSet's pods",
                        "defaults spread away from zones b, c: a3 (see SpreadCases#defaults); nz lacks the zone key "
                                + "and "
                                + "scores 0 — in 1.20.2, which predates backport #106607 (after it nz would win)",
                        owned,
                        ParityCase.Workload.REPLICA_SET_AND_SERVICE,
                        WEB_PROBE.ownedByReplicaSet(),
                        everyNode(),
                        A3),
                new ParityCase(
                        "replicaset-explicit-constraint-replaces-defaults",
                        "a pod's own constraints replace the defaults (DoNotSchedule ones do not score)",
                        "no default scoring: c2 (92) beats c1 (85)",
                        owned,
                        ParityCase.Workload.REPLICA_SET_AND_SERVICE,
                        WEB_PROBE.ownedByReplicaSet().spread(Spread.dns(5, HOST, "app", "web")),
                        everyNode(),
                        C2),
                new ParityCase(
                        "service-default-spread",
                        "system default constraints for pods of a Service",
                        "as for the ReplicaSet: a3",
                        plain,
                        ParityCase.Workload.SERVICE,
                        WEB_PROBE,
                        everyNode(),
                        A3));
    }

    private static List<ParityCase.Existing> withTerminating(
            List<ParityCase.Existing> bound, ParityCase.Existing terminating) {
        List<ParityCase.Existing> all = new ArrayList<>(bound);
        all.add(terminating);
        return all;
    }
}
