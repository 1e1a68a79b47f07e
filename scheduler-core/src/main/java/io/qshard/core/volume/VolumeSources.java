package io.qshard.core.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether the scheduler's view of each volume resource can be trusted: listed and watched, still waiting for its first
 * list, forbidden by RBAC, or not served by the cluster. Pods with PersistentVolumeClaims are scheduled only while
 * claims, volumes and classes are {@link State#READY}; CSINode limits apply only while it is. Immutable.
 *
 * @param claims   persistentvolumeclaims
 * @param volumes  persistentvolumes
 * @param classes  storageclasses.storage.k8s.io
 * @param csiNodes csinodes.storage.k8s.io
 */
public record VolumeSources(State claims, State volumes, State classes, State csiNodes) {
    /** Nothing listed yet: a fresh scheduler, or a component that does not watch volumes. */
    public static final VolumeSources WAITING =
            new VolumeSources(State.WAITING, State.WAITING, State.WAITING, State.WAITING);
    /** Everything listed (tests and tools that fill a catalog themselves). */
    public static final VolumeSources READY = new VolumeSources(State.READY, State.READY, State.READY, State.READY);

    public VolumeSources {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(csiNodes, "csiNodes");
    }

    /** The state of one resource's informer. */
    public enum State {
        /** Not listed yet. */
        WAITING,
        /** Listed and watched. */
        READY,
        /** RBAC forbids this scheduler to list or watch it. */
        FORBIDDEN,
        /** The cluster does not serve it (CSINode on old clusters). */
        UNSERVED
    }

    /** Whether claims, volumes and classes are all listed: pods with claims can be decided. */
    public boolean claimsUsable() {
        return claims == State.READY && volumes == State.READY && classes == State.READY;
    }

    /** The resources among claims, volumes and classes in state {@code s}, as RBAC names them. */
    public List<String> inState(State s) {
        List<String> out = new ArrayList<>(3);
        if (claims == s) {
            out.add("persistentvolumeclaims");
        }
        if (volumes == s) {
            out.add("persistentvolumes");
        }
        if (classes == s) {
            out.add("storageclasses.storage.k8s.io");
        }
        return out;
    }

    /** These sources with claims set to {@code s}. */
    public VolumeSources withClaims(State s) {
        return new VolumeSources(s, volumes, classes, csiNodes);
    }

    /** These sources with volumes set to {@code s}. */
    public VolumeSources withVolumes(State s) {
        return new VolumeSources(claims, s, classes, csiNodes);
    }

    /** These sources with classes set to {@code s}. */
    public VolumeSources withClasses(State s) {
        return new VolumeSources(claims, volumes, s, csiNodes);
    }

    /** These sources with CSINodes set to {@code s}. */
    public VolumeSources withCsiNodes(State s) {
        return new VolumeSources(claims, volumes, classes, s);
    }
}
