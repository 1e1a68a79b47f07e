package io.qshard.cli.parity2;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.qshard.cli.parity.Verdict;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/**
 * WaitForFirstConsumer with static local PVs, fresh for every probe (a claim binds once): a StorageClass of its own,
 * one unbound local PV on each of {@link #nodes} and the probe's unbound claim {@code claim-<probe>}, all created
 * before the case's first probe. After a bound
 * answer the claim must end up bound (by the scheduler's PreBind and the PV controller) to the PV of the node the
 * probe went to; after a rejection it must still be unbound. Immutable.
 *
 * @param nodes the fixture nodes that get a PV
 */
record StaticLocalVolumes(List<String> nodes) implements ResourceCase.ProbeHook {
    StaticLocalVolumes {
        nodes = List.copyOf(nodes);
    }

    static String claimOf(String probe) {
        return "claim-" + probe;
    }

    private static String pvName(CaseContext ctx, String probe, String node) {
        return ctx.global(probe + "-" + node);
    }

    @Override
    public void prepare(CaseContext ctx, List<String> probes) {
        for (String probe : probes) {
            ctx.create(StorageObjects.storageClass(ctx.global(probe), true));
        }
        for (String probe : probes) {
            for (String node : nodes) {
                String hostname = ResourceCluster.node(node).hostname();
                ctx.create(StorageObjects.localPv(pvName(ctx, probe, node), ctx.global(probe), hostname, null));
            }
        }
        for (String probe : probes) {
            ctx.create(StorageObjects.claim(ctx.namespace(), claimOf(probe), ctx.global(probe), null));
        }
    }

    @Override
    public String after(CaseContext ctx, String probe, Verdict v) {
        String claim = claimOf(probe);
        if (v.kind() != Verdict.Kind.BOUND) {
            PersistentVolumeClaim c = ctx.admin()
                    .persistentVolumeClaims()
                    .inNamespace(ctx.namespace())
                    .withName(claim)
                    .get();
            String volume = c.getSpec().getVolumeName();
            return volume == null || volume.isEmpty() ? null : "rejected, yet its claim was bound to " + volume;
        }
        try {
            String volume = ctx.awaitBound(claim).getSpec().getVolumeName();
            String expected = pvName(ctx, probe, v.node());
            return volume.equals(expected)
                    ? null
                    : "bound to " + v.node() + " but its claim to " + volume + " (expected " + expected + ")";
        } catch (ConditionTimeoutException e) {
            return "bound to " + v.node() + " but its claim is not bound within " + CaseContext.BIND_DEADLINE;
        }
    }
}
