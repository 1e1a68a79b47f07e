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
 * kube-scheduler 1.20's {@code BindPodVolumes} through the apiserver: each chosen static PV gets the claim's
 * {@code claimRef} and {@code pv.kubernetes.io/bound-by-controller: "yes"} (a merge patch carrying the PV's current
 * resourceVersion, so a PV another scheduler took meanwhile is a conflict, not a double binding); each claim to
 * provision gets {@code volume.kubernetes.io/selected-node}. Then it polls (every {@code poll}) until
 * kube-controller-manager's PV controller has bound every one of those claims — {@code spec.volumeName} set and
 * {@code pv.kubernetes.io/bind-completed} — as kube's {@code checkBindings}: it fails when a PV lost its claimRef, a
 * claim got bound to another PV, a provisioner removed the selected-node annotation (provisioning failed), an object is
 * gone, or after {@code timeout} (kube's default is 600 s). Unlike kube it reads nothing but the claims and PVs (RBAC:
 * get and patch on both): a deleted pod is found by the pod binding that follows, and the PVs' node affinity is not
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
    public Optional<String> bind(PodRequest pod, VolumeDecision d) {
        try {
            for (VolumeDecision.Binding b : d.bindings()) {
                String failure = bindVolume(b.volume().name(), b.claim());
                if (failure != null) {
                    return Optional.of(failure);
                }
            }
            for (VolumeClaim c : d.provisions()) {
                String body = json(
                        Map.of("metadata", Map.of("annotations", Map.of(VolumeClaim.ANN_SELECTED_NODE, d.node()))));
                Patches.object(
                        client,
                        Patches.stub(new PersistentVolumeClaim(), c.namespace(), c.name()),
                        PatchType.JSON_MERGE,
                        body);
            }
            return await(d);
        } catch (KubernetesClientException e) {
            return Optional.of("binding volumes: " + KubeconfigResolver.oneLine(e));
        } catch (ConversionException e) {
            return Optional.of("binding volumes: " + e.getMessage());
        }
    }

    /** Writes the claimRef of one PV (kube's {@code GetBindVolumeToClaim}); null on success, else why not. */
    private String bindVolume(String pvName, VolumeClaim claim) {
        io.fabric8.kubernetes.api.model.PersistentVolume api =
                client.persistentVolumes().withName(pvName).get();
        if (api == null) {
            return "persistentvolume \"" + pvName + "\" not found";
        }
        PersistentVolume pv = VolumeConverter.volume(api);
        PersistentVolume.ClaimRef ref = pv.claimRef();
        boolean preBound = ref != null && ref.names(claim);
        if (ref != null && !preBound) {
            return "persistentvolume \"" + pvName + "\" is bound to another claim (" + ref.namespace() + "/"
                    + ref.name() + ")";
        }
        if (preBound && ref.uid().equals(claim.uid())) {
            return null; // bound to it already: nothing to write
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceVersion", api.getMetadata().getResourceVersion());
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
                    Patches.stub(new io.fabric8.kubernetes.api.model.PersistentVolume(), null, pvName),
                    PatchType.JSON_MERGE,
                    json(Map.of("metadata", meta, "spec", Map.of("claimRef", claimRef))));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return "persistentvolume \"" + pvName + "\" changed while binding it to " + claim.key()
                        + " (another binder?): " + KubeconfigResolver.oneLine(e);
            }
            throw e;
        }
        LOG.info("claim {} bound to volume {}", claim.key(), pvName);
        return null;
    }

    /** Polls until every claim is bound, or a failure, or the timeout. */
    private Optional<String> await(VolumeDecision d) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
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
