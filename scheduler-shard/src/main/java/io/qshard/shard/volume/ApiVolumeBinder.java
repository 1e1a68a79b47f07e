package io.qshard.shard.volume;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.model.PodRequest;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.VolumeConverter;
import io.qshard.kube.write.Patches;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-scheduler 1.20's {@code BindPodVolumes} through the apiserver. Each chosen static PV gets the claim's
 * {@code claimRef} and {@code pv.kubernetes.io/bound-by-controller: "yes"}, each claim to provision gets
 * {@code volume.kubernetes.io/selected-node}: merge patches carrying the resourceVersion of the object the decision saw,
 * as kube updates the object it decided on, so a PV or claim changed since (being deleted, phase changed, taken by
 * another scheduler or tier, provisioned for another node) is a conflict and the pod is retried on a fresh view. A
 * conflict whose object now already holds this very binding (another pod of the same claim wrote it) is success. Then
 * it polls (every {@code poll}) until kube-controller-manager's PV controller has bound every one of those claims —
 * {@code spec.volumeName} set and {@code pv.kubernetes.io/bind-completed} — as kube's {@code checkBindings}: it fails
 * when a PV lost its claimRef, a claim got bound to another PV, a provisioner removed the selected-node annotation
 * (provisioning failed), an object is gone, the {@link VolumeWriter.Fence} says the pod is gone or the lease lost
 * (checked before each write and each look: nothing is written after that), or after {@code timeout} (kube's default
 * is 600 s). It reads the claims and PVs from the API (RBAC: get and patch on both); the PVs' node affinity is not
 * checked again against the node's labels of the moment. Nothing is rolled back on failure, as in kube: the PV
 * controller completes a binding written, and the pod is retried. Thread-safe; blocks its caller.
 */
public final class ApiVolumeBinder implements VolumeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiVolumeBinder.class);

    private final KubernetesClient client;
    private final Duration timeout;
    private final Duration poll;
    private final Clock clock;

    /**
     * @param timeout how long to wait for the PV controller, > 0
     * @param poll    how often to look, > 0
     */
    public ApiVolumeBinder(KubernetesClient client, Duration timeout, Duration poll, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        if (timeout.isNegative() || timeout.isZero() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("volume bind timeout and poll must be > 0");
        }
        this.timeout = timeout;
        this.poll = poll;
        this.clock = clock;
    }

    @Override
    public Optional<String> bind(PodRequest pod, VolumeDecision d, Fence fence) {
        try {
            for (VolumeDecision.Binding b : d.bindings()) {
                String failure = fence.stopReason();
                if (failure == null) {
                    failure = bindVolume(b.volume(), b.claim());
                }
                if (failure != null) {
                    return Optional.of(failure);
                }
            }
            for (VolumeClaim c : d.provisions()) {
                String failure = fence.stopReason();
                if (failure == null) {
                    failure = selectNode(c, d.node());
                }
                if (failure != null) {
                    return Optional.of(failure);
                }
            }
            return await(d, fence);
        } catch (KubernetesClientException e) {
            return Optional.of("binding volumes: " + KubeconfigResolver.oneLine(e));
        } catch (ConversionException e) {
            return Optional.of("binding volumes: " + e.getMessage());
        }
    }

    /**
     * Writes the claimRef of the PV the decision saw (kube's {@code GetBindVolumeToClaim}, then an update of that
     * object); null on success, else why not.
     */
    private String bindVolume(PersistentVolume seen, VolumeClaim claim) {
        PersistentVolume.ClaimRef ref = seen.claimRef();
        boolean preBound = ref != null && ref.names(claim);
        if (preBound && ref.uid().equals(claim.uid())) {
            return null; // bound to it already (or assumed so by another pod of the claim): nothing to write
        }
        if (seen.resourceVersion().isEmpty()) {
            return "persistentvolume \"" + seen.name() + "\": the decision saw no resourceVersion to bind it with";
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceVersion", seen.resourceVersion());
        if (!preBound) {
            meta.put("annotations", Map.of(PersistentVolume.ANN_BOUND_BY_CONTROLLER, "yes"));
        }
        Map<String, Object> claimRef = new LinkedHashMap<>();
        claimRef.put("kind", "PersistentVolumeClaim");
        claimRef.put("apiVersion", "v1");
        claimRef.put("namespace", claim.namespace());
        claimRef.put("name", claim.name());
        claimRef.put("uid", claim.uid());
        try {
            Patches.object(
                    client,
                    Patches.stub(new io.fabric8.kubernetes.api.model.PersistentVolume(), null, seen.name()),
                    PatchType.JSON_MERGE,
                    json(Map.of("metadata", meta, "spec", Map.of("claimRef", claimRef))));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            PersistentVolume now = volume(seen.name());
            if (now != null
                    && !now.deleting()
                    && now.claimRef() != null
                    && now.claimRef().names(claim)
                    && now.claimRef().uid().equals(claim.uid())) {
                return null; // another pod of the same claim bound it meanwhile: the binding stands
            }
            return "persistentvolume \"" + seen.name() + "\" changed since the decision ("
                    + (now == null ? "deleted" : changes(seen, now)) + "): " + KubeconfigResolver.oneLine(e);
        }
        LOG.info("claim {} bound to volume {}", claim.key(), seen.name());
        return null;
    }

    /** What a PV that refused the decision's binding looks like now, in a few words. */
    private static String changes(PersistentVolume seen, PersistentVolume now) {
        if (now.deleting()) {
            return "being deleted";
        }
        if (now.claimRef() != null) {
            return "bound to " + now.claimRef().namespace() + "/"
                    + now.claimRef().name();
        }
        return "phase " + (now.phase().isEmpty() ? "unset" : now.phase()) + ", resourceVersion "
                + seen.resourceVersion() + " → " + now.resourceVersion();
    }

    /**
     * Annotates the claim the decision saw with the chosen node (an update of that object in kube); null on success,
     * else why not.
     */
    private String selectNode(VolumeClaim seen, String node) {
        if (seen.resourceVersion().isEmpty()) {
            return "persistentvolumeclaim \"" + seen.key()
                    + "\": the decision saw no resourceVersion to provision it with";
        }
        String body = json(Map.of(
                "metadata",
                Map.of(
                        "resourceVersion",
                        seen.resourceVersion(),
                        "annotations",
                        Map.of(VolumeClaim.ANN_SELECTED_NODE, node))));
        try {
            Patches.object(
                    client,
                    Patches.stub(new PersistentVolumeClaim(), seen.namespace(), seen.name()),
                    PatchType.JSON_MERGE,
                    body);
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            VolumeClaim now = claim(seen);
            if (now != null && !now.deleting() && node.equals(now.selectedNode())) {
                return null; // another pod of the same claim chose the same node meanwhile
            }
            return "persistentvolumeclaim \"" + seen.key() + "\" changed since the decision ("
                    + (now == null
                            ? "deleted"
                            : now.deleting()
                                    ? "being deleted"
                                    : "selected node " + (now.selectedNode() == null ? "none" : now.selectedNode()))
                    + "): " + KubeconfigResolver.oneLine(e);
        }
    }

    /** Polls until every claim is bound, or a failure, or the fence stops it, or the timeout. */
    private Optional<String> await(VolumeDecision d, Fence fence) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            String stop = fence.stopReason();
            if (stop != null) {
                return Optional.of(stop);
            }
            Check c = check(d);
            if (c.failure() != null) {
                return Optional.of(c.failure());
            }
            if (c.done()) {
                return Optional.empty();
            }
            if (!clock.instant().isBefore(deadline)) {
                return Optional.of("binding volumes: timed out waiting for the condition");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("binding volumes: interrupted");
            }
        }
    }

    /**
     * One look at the API.
     *
     * @param done    every claim is bound
     * @param failure why the binding cannot complete, or null
     */
    private record Check(boolean done, String failure) {
        static final Check WAIT = new Check(false, null);

        static Check fail(String why) {
            return new Check(false, why);
        }
    }

    /** kube's {@code checkBindings}, on the API's current objects. */
    private Check check(VolumeDecision d) {
        boolean done = true;
        for (VolumeDecision.Binding b : d.bindings()) {
            String name = b.volume().name();
            PersistentVolume pv = volume(name);
            VolumeClaim claim = claim(b.claim());
            if (pv == null || claim == null) {
                return Check.fail("failed to check binding: "
                        + (pv == null
                                ? "persistentvolume \"" + name
                                : "persistentvolumeclaim \"" + b.claim().key()) + "\" not found");
            }
            if (pv.claimRef() == null || pv.claimRef().uid().isEmpty()) {
                return Check.fail("ClaimRef got reset for pv \"" + name + "\"");
            }
            if (!claim.volumeName().isEmpty() && !claim.volumeName().equals(name)) {
                return Check.fail("persistentvolumeclaim \"" + claim.key() + "\" was bound to volume \""
                        + claim.volumeName() + "\", not \"" + name + "\"");
            }
            done &= claim.fullyBound();
        }
        for (VolumeClaim c : d.provisions()) {
            VolumeClaim claim = claim(c);
            if (claim == null) {
                return Check.fail(
                        "failed to check provisioning pvc: persistentvolumeclaim \"" + c.key() + "\" not found");
            }
            if (!d.node().equals(claim.selectedNode())) { // a provisioner that gave up removes the annotation
                return Check.fail("provisioning failed for PVC \"" + claim.name() + "\"");
            }
            done &= claim.fullyBound();
        }
        return done ? new Check(true, null) : Check.WAIT;
    }

    private PersistentVolume volume(String name) {
        var api = client.persistentVolumes().withName(name).get();
        return api == null ? null : convert(() -> VolumeConverter.volume(api));
    }

    private VolumeClaim claim(VolumeClaim c) {
        var api = client.persistentVolumeClaims()
                .inNamespace(c.namespace())
                .withName(c.name())
                .get();
        return api == null ? null : convert(() -> VolumeConverter.claim(api));
    }

    private static <T> T convert(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (ConversionException e) {
            throw new KubernetesClientException("unreadable object while binding volumes: " + e.getMessage(), e);
        }
    }

    private String json(Map<String, ?> body) {
        return client.getKubernetesSerialization().asJson(body);
    }
}
