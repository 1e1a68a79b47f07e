package io.qshard.kube.api;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code NodeUsage} custom resource ({@code qshard.io/v1alpha1}, cluster-scoped, one per node, named after it);
 * the schema is {@code manifests/crds/nodeusage.yaml}. Everything is in {@link #getStatus()} and written through the
 * status subresource. Not thread-safe (a fabric8 model object).
 */
@Group(NodeUsage.GROUP)
@Version(NodeUsage.VERSION)
@Kind("NodeUsage")
@Plural("nodeusages")
public class NodeUsage extends CustomResource<Void, NodeUsageStatus> {
    /** API group. */
    public static final String GROUP = "qshard.io";
    /** API version. */
    public static final String VERSION = "v1alpha1";

    private static final long serialVersionUID = 1L;
    // cluster-scoped: deliberately does not implement io.fabric8.kubernetes.api.model.Namespaced
}
