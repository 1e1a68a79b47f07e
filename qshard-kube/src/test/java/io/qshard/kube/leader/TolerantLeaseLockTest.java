package io.qshard.kube.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class TolerantLeaseLockTest {
    private final TolerantLeaseLock lock = new TolerantLeaseLock("ns", "qshard-prod-0", "me");

    @Test
    void aWholeLeaseReadsAsFabric8ReadsIt() {
        ZonedDateTime t = ZonedDateTime.parse("2026-12-07T10:00:00Z");
        var r = lock.toRecord(lease(15, t).build());
        assertThat(r.getHolderIdentity()).isEqualTo("other");
        assertThat(r.getRenewTime()).isEqualTo(t);
        assertThat(r.getLeaseDuration().toSeconds()).isEqualTo(15);
    }

    @Test
    void aLeaseWithoutDurationOrRenewTimeReadsAsExpiredInsteadOfThrowing() {
        // fabric8's own LeaseLock throws a NullPointerException here, which its elector does not catch
        Lease noDuration =
                lease(null, ZonedDateTime.parse("2026-12-07T10:00:00Z")).build();
        var r = lock.toRecord(noDuration);
        assertThat(r.getHolderIdentity()).isEqualTo("other");
        assertThat(r.getLeaderTransitions()).isEqualTo(3);
        assertThat(r.getRenewTime().plus(r.getLeaseDuration())).isBefore(ZonedDateTime.parse("2000-01-01T00:00:00Z"));
        Lease noRenew = lease(15, null).build();
        assertThat(lock.toRecord(noRenew).getRenewTime().getYear()).isEqualTo(1970);
    }

    private static LeaseBuilder lease(Integer seconds, ZonedDateTime renew) {
        return new LeaseBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("qshard-prod-0")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("other")
                .withLeaseDurationSeconds(seconds)
                .withAcquireTime(renew)
                .withRenewTime(renew)
                .withLeaseTransitions(3)
                .endSpec();
    }
}
