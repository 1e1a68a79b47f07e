package io.qshard.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.bench.e2e.PlacementAudit.Placed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementAuditTest {
    /** Nodes n0…n5 in zones z0, z1, z2 (n_i in z_(i mod 3)). */
    private static final Map<String, String> ZONES = zones(6, 3);

    @Test
    void oneReplicaPerNodeAndZonesWithinOneOfEachOtherPass() {
        List<Placed> placed = List.of(
                new Placed("a-0", "a", "n0"),
                new Placed("a-1", "a", "n1"),
                new Placed("a-2", "a", "n2"),
                new Placed("a-3", "a", "n3"), // z0 twice, z1 and z2 once: skew 1
                new Placed("b-0", "b", "n0")); // b only in z0: 1 − 0 = 1
        PlacementAudit audit = PlacementAudit.of(placed, ZONES, 1);
        assertThat(audit.bound()).isEqualTo(5);
        assertThat(audit.violations()).isZero();
        assertThat(audit.examples()).isEmpty();
    }

    @Test
    void podsOfOneAppSharingANodeCountBeyondTheFirst() {
        List<Placed> placed = List.of(
                new Placed("a-0", "a", "n0"),
                new Placed("a-1", "a", "n0"),
                new Placed("a-2", "a", "n0"),
                new Placed("b-0", "b", "n0")); // another app on the same node is fine
        PlacementAudit audit = PlacementAudit.of(placed, zones(3, 3), 3);
        assertThat(audit.antiAffinity()).isEqualTo(2);
        assertThat(audit.spread()).isZero(); // a: z0 = 3, z1 = z2 = 0, skew 3 ≤ maxSkew 3
        assertThat(audit.examples()).containsExactly("a: 3 pods on n0");
    }

    @Test
    void emptyZonesCountAsZeroForTheSkew() {
        // a: two pods in z0, none in z1 and z2 — skew 2 although every zone with a pod of a holds the same count
        List<Placed> placed = List.of(new Placed("a-0", "a", "n0"), new Placed("a-1", "a", "n3"));
        PlacementAudit audit = PlacementAudit.of(placed, ZONES, 1);
        assertThat(audit.antiAffinity()).isZero();
        assertThat(audit.spread()).isEqualTo(1);
        assertThat(audit.examples()).containsExactly("a: pods per zone {z0=2, z1=0, z2=0}");
        assertThat(PlacementAudit.of(placed, ZONES, 2).spread()).isZero();
    }

    @Test
    void aPodOnANodeWithoutAZoneBreaksItsAppsSpread() {
        List<Placed> placed = List.of(new Placed("a-0", "a", "n0"), new Placed("a-1", "a", "elsewhere"));
        PlacementAudit audit = PlacementAudit.of(placed, ZONES, 1);
        assertThat(audit.spread()).isEqualTo(1);
        assertThat(audit.examples()).containsExactly("a: pods per zone {z0=1, z1=0, z2=0}, 1 on nodes without a zone");
    }

    @Test
    void tenReplicasInTenZonesPassOnlyOnePerZone() {
        Map<String, String> fleet = zones(100, 10);
        List<Placed> spread = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            spread.add(new Placed("a-" + i, "a", "n" + (10 + i))); // n10…n19: z0…z9 once each
        }
        assertThat(PlacementAudit.of(spread, fleet, 1).violations()).isZero();
        List<Placed> skewed = new ArrayList<>(spread.subList(0, 9));
        skewed.add(new Placed("a-9", "a", "n20")); // z0 again, z9 empty
        PlacementAudit audit = PlacementAudit.of(skewed, fleet, 1);
        assertThat(audit.spread()).isEqualTo(1);
        assertThat(audit.antiAffinity()).isZero();
    }

    @Test
    void examplesAreCappedButViolationsAreAllCounted() {
        List<Placed> placed = new ArrayList<>();
        for (int app = 0; app < 8; app++) {
            placed.add(new Placed("x-" + app, "app" + app, "n1"));
            placed.add(new Placed("y-" + app, "app" + app, "n1"));
        }
        PlacementAudit audit = PlacementAudit.of(placed, ZONES, 1);
        assertThat(audit.antiAffinity()).isEqualTo(8);
        assertThat(audit.spread()).isEqualTo(8); // each app: z1 = 2, z0 = z2 = 0
        assertThat(audit.examples()).hasSize(PlacementAudit.EXAMPLES);
        assertThat(audit.toString()).startsWith("16 bound pods audited: 8 anti-affinity violations (pods), 8 spread");
    }

    private static Map<String, String> zones(int nodes, int zones) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < nodes; i++) {
            m.put("n" + i, "z" + i % zones);
        }
        return m;
    }
}
