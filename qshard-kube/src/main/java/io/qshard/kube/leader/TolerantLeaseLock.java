package io.qshard.kube.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's {@link LeaseLock}, reading a Lease it cannot make a record of (a hand edit that dropped
 * {@code leaseDurationSeconds}, {@code acquireTime} or {@code renewTime}) as an <em>expired</em> lease of its holder
 * instead of throwing: fabric8's elector catches only {@code KubernetesClientException}, and anything else left it
 * standing by forever (acquiring) or leading without renewing (renewing). The next acquisition overwrites the broken
 * Lease with a whole one. Thread-safe as its parent.
 */
final class TolerantLeaseLock extends LeaseLock {
    private static final Logger LOG = LoggerFactory.getLogger(TolerantLeaseLock.class);
    private static final ZonedDateTime LONG_AGO = ZonedDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);

    TolerantLeaseLock(String namespace, String name, String identity) {
        super(namespace, name, identity);
    }

    @Override
    protected LeaderElectionRecord toRecord(Lease lease) {
        try {
            return super.toRecord(lease);
        } catch (RuntimeException e) {
            String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
            Integer transitions =
                    lease.getSpec() == null ? null : lease.getSpec().getLeaseTransitions();
            LOG.warn(
                    "Lease {}/{} cannot be read ({}); taken as expired, the next holder rewrites it",
                    lease.getMetadata().getNamespace(),
                    lease.getMetadata().getName(),
                    e.toString());
            return new LeaderElectionRecord(
                    holder == null ? "" : holder,
                    Duration.ofSeconds(1),
                    LONG_AGO,
                    LONG_AGO,
                    transitions == null ? 0 : transitions);
        }
    }
}
