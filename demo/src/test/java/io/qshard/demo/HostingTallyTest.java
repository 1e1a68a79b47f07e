package io.qshard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link HostingTally}: one change per Deployment that moved between two looks, the request from the first look. */
class HostingTallyTest {
    @Test
    void countsEachMoveAsOneChangeAndKeepsTheFirstLookAsTheRequest() {
        HostingTally t = new HostingTally();
        t.record(Map.of("a", 8, "b", 4));
        assertThat(t.up()).isZero();
        assertThat(t.down()).isZero();
        t.record(Map.of("a", 12, "b", 4));
        t.record(Map.of("a", 12, "b", 2));
        t.record(Map.of("a", 16, "b", 3));
        assertThat(t.up()).isEqualTo(3);
        assertThat(t.down()).isEqualTo(1);
        assertThat(t.workloads()).isEqualTo(2);
        assertThat(t.replicas()).isEqualTo(19);
        assertThat(t.requested()).isEqualTo(12);
    }

    @Test
    void aDeploymentFirstSeenLaterStartsItsOwnRequest() {
        HostingTally t = new HostingTally();
        t.record(Map.of("a", 8));
        t.record(Map.of("a", 8, "c", 5));
        assertThat(t.up() + t.down()).isZero();
        assertThat(t.requested()).isEqualTo(13);
        assertThat(t.replicas()).isEqualTo(13);
    }
}
