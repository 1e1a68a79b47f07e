package io.qshard.kube.api;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** {@code ShardMap} (qshard.io/v1alpha1, cluster-scoped, one per sharded tier): manifests/crds/shardmap.yaml. */
@Group(ShardMap.GROUP)
@Version(ShardMap.VERSION)
@Kind("ShardMap")
@Plural("shardmaps")
public class ShardMap extends CustomResource<ShardMapSpec, ShardMapStatus> {
    public static final String GROUP = "qshard.io";
    public static final String VERSION = "v1alpha1";
    /** The CRD manifest, relative to the repository root. */
    public static final String MANIFEST = "manifests/crds/shardmap.yaml";

    private static final long serialVersionUID = 1L;
}
