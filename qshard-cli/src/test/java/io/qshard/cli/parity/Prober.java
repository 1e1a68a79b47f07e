package io.qshard.cli.parity;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Sends one probe pod at a time and reads what its scheduler did: bound (spec.nodeName set) or rejected
 * (PodScheduled=False, which both kube-scheduler and qshard write together with their FailedScheduling event). The
 * probe is then deleted with grace 0 and awaited gone, so the next probe never sees it. Not thread-safe.
 */
public final class Prober {
    private static final Duration POLL = Duration.ofMillis(10);

    private final KubernetesClient admin;
    private final Duration deadline;

    /** @param deadline how long a scheduler may take to answer one probe before it counts as no answer */
    public Prober(KubernetesClient admin, Duration deadline) {
        this.admin = admin;
        this.deadline = deadline;
    }

    /** Creates {@code probe}, waits for its scheduler's answer, deletes it and waits until it is gone. */
    public Verdict probe(Pod probe) {
        String ns = probe.getMetadata().getNamespace();
        String name = probe.getMetadata().getName();
        admin.resource(probe).create();
        try {
            return await("answer for " + ns + "/" + name)
                    .atMost(deadline)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .until(
                            () -> answer(
                                    admin.pods().inNamespace(ns).withName(name).get()),
                            v -> v != null);
        } catch (ConditionTimeoutException e) {
            return Verdict.timeout();
        } finally {
            delete(ns, name);
        }
    }

    /** Deletes a pod with grace 0 and waits until the apiserver no longer has it. */
    public void delete(String ns, String name) {
        admin.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
        await("deletion of " + ns + "/" + name)
                .atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL)
                .until(() -> admin.pods().inNamespace(ns).withName(name).get() == null);
    }

    private static Verdict answer(Pod p) {
        if (p == null) {
            return Verdict.rejected("probe vanished");
        }
        if (p.getSpec().getNodeName() != null) {
            return Verdict.bound(p.getSpec().getNodeName());
        }
        if (p.getStatus() != null && p.getStatus().getConditions() != null) {
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return Verdict.rejected(c.getMessage());
                }
            }
        }
        return null;
    }
}
