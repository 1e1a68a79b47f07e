package io.qshard.cli.parity2;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.qshard.cli.parity.ParityCluster;
import io.qshard.cli.parity.Prober;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Makes sure a scheduler has seen every StorageClass, PV and claim a case created before its first probe: a scheduler
 * watches each kind in its own stream, each in creation order, so once it has bound a pod that needs a claim, PV and
 * StorageClass created after all the others (a claim pre-bound to a local PV on rp-e), it has seen the others too —
 * without the fence a probe created right after its objects can meet a scheduler that has not seen them yet. The fence
 * pod may be rejected first and bound on a retry; it is deleted once bound. Stateless.
 */
final class StorageFence {
    private static final String CLAIM = "fence";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private StorageFence() {}

    /** Runs the fence for each contender; returns, per contender, a problem (not bound in time) or nothing. */
    static Map<ResourceCaseRun.Contender, String> pass(
            CaseContext ctx, Prober prober, List<ResourceCaseRun.Contender> contenders) {
        ctx.boundLocal(CLAIM, ResourceCluster.E_HOSTNAME);
        Map<ResourceCaseRun.Contender, String> problems = new LinkedHashMap<>();
        for (ResourceCaseRun.Contender who : contenders) {
            String name = "fence-" + who.schedulerName();
            Pod pod = ShapePods.build(
                    PodShape.existing().claim(CLAIM),
                    name,
                    ctx.namespace(),
                    who.schedulerName(),
                    null,
                    null,
                    ParityCluster.anyNode());
            ctx.admin().resource(pod).create();
            try {
                await("fence pod " + name + " bound")
                        .atMost(DEADLINE)
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> {
                            Pod p = ctx.admin()
                                    .pods()
                                    .inNamespace(ctx.namespace())
                                    .withName(name)
                                    .get();
                            return p.getSpec().getNodeName() != null;
                        });
            } catch (ConditionTimeoutException e) {
                problems.put(
                        who,
                        "did not bind the fence pod (a claim pre-bound to a local PV on rp-e) within " + DEADLINE
                                + "; probes may meet stale volume objects");
            } finally {
                prober.delete(ctx.namespace(), name);
            }
        }
        return problems;
    }
}
