package io.qshard.core.model;

/**
 * A pod's controller owner (ReplicaSet, Job, DaemonSet…), used by migration caps and to skip mirror and
 * DaemonSet pods. Immutable.
 *
 * @param kind owner kind
 * @param name owner name
 * @param uid  owner uid
 */
public record OwnerRef(String kind, String name, String uid) {}
