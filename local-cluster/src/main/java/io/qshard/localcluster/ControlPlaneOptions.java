package io.qshard.localcluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to start a {@link LocalControlPlane}. Immutable; build variations with the {@code with*} methods.
 *
 * @param controllerManager whether to run kube-controller-manager too (Deployments, ReplicaSets, PDB
 *                          status), started with the node-lifecycle controller off because nodes here
 *                          have no kubelet
 * @param auditVerbs        API verbs the audit log records at level Metadata (one JSON line per request
 *                          with verb, user, user agent and request URI); empty disables the audit log
 * @param startTimeout      how long to wait for each component to become healthy
 * @param extraApiserverArgs further kube-apiserver flags, appended last
 */
public record ControlPlaneOptions(
        boolean controllerManager, Set<String> auditVerbs, Duration startTimeout, List<String> extraApiserverArgs) {

    /** Verbs audited by default: enough to show where informers list from and what clients write. */
    public static final Set<String> DEFAULT_AUDIT_VERBS = Set.of("list", "watch", "create");
    /** Default wait for each component (the apiserver is ready in ~10 s on this kind of machine). */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public ControlPlaneOptions {
        auditVerbs = Set.copyOf(auditVerbs);
        Objects.requireNonNull(startTimeout, "startTimeout");
        extraApiserverArgs = List.copyOf(extraApiserverArgs);
    }

    /** etcd + kube-apiserver, audit of list/watch, no controller-manager. */
    public static ControlPlaneOptions defaults() {
        return new ControlPlaneOptions(false, DEFAULT_AUDIT_VERBS, DEFAULT_START_TIMEOUT, List.of());
    }

    public ControlPlaneOptions withControllerManager(boolean on) {
        return new ControlPlaneOptions(on, auditVerbs, startTimeout, extraApiserverArgs);
    }

    public ControlPlaneOptions withAuditVerbs(Set<String> verbs) {
        return new ControlPlaneOptions(controllerManager, verbs, startTimeout, extraApiserverArgs);
    }

    public ControlPlaneOptions withExtraApiserverArgs(List<String> args) {
        return new ControlPlaneOptions(controllerManager, auditVerbs, startTimeout, args);
    }
}
