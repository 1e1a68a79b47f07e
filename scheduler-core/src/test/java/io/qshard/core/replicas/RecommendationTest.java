package io.qshard.core.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.replicas.Recommendation.Kind;
import org.junit.jupiter.api.Test;

/** The one line each kind of recommendation gives Events and status (figures of the worked example). */
class RecommendationTest {
    private static final WorkloadKey ETL = new WorkloadKey("shop", "apps", "Deployment", "etl");

    private static Recommendation rec(
            int raw, Kind kind, long before, long band, long deficit, long per, int un, int added) {
        return new Recommendation(ETL, raw, kind, before, before, band, deficit, per, un, added);
    }

    @Test
    void eachKindSaysWhy() {
        assertThat(rec(23, Kind.SHED, -26_000, 3200, 26_000, 1600, 0, -17).why("batch"))
                .isEqualTo("batch pool over by 26.0 cores (net -26.0, band 3.2); 1.6 cores per replica → shed 17,"
                        + " lowest priority first");
        assertThat(rec(40, Kind.ROOM, 56_000, 3200, 0, 2000, 0, 20).why("batch"))
                .isEqualTo("batch pool has room for 20 more after a 3.2-core band (net 56.0 cores, 2.0 cores per new"
                        + " replica)");
        assertThat(rec(8, Kind.PENDING, 1000, 3200, 0, 1000, 12, 0).why("batch"))
                .isEqualTo("12 pending replicas do not fit the batch pool");
        assertThat(rec(8, Kind.PENDING, 1000, 3200, 0, 1000, 1, 0).why("free"))
                .isEqualTo("1 pending replica does not fit the free pool");
        assertThat(rec(10, Kind.STEADY, 6000, 3200, 0, 1000, 0, 0).why("free"))
                .isEqualTo("free pool holds it: net 6.0 cores, band 3.2, no room for another replica");
        assertThat(rec(10, Kind.NOT_PLANNED, 0, 0, 0, 0, 0, 0).why("free"))
                .isEqualTo("not planned this cycle: the plan reached its cap of 5000 placements");
    }
}
