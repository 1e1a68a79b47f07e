package io.qshard.kube.write;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Patches by name in one request. fabric8's {@code withName(n).patch(context, string)} first GETs the object (to learn
 * what it patches), which doubles every write and needs the {@code get} verb besides {@code patch}; patching through a
 * stub that carries only the name ({@code client.resource(stub)}) sends the PATCH alone. Stateless.
 */
public final class Patches {
    private Patches() {}

    /** {@code object} named {@code namespace/name} (namespace null for cluster-scoped kinds), nothing else set. */
    public static <T extends HasMetadata> T stub(T object, String namespace, String name) {
        object.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        return object;
    }

    /** Patches the object {@code stub} names. */
    public static void object(KubernetesClient client, HasMetadata stub, PatchType type, String body) {
        client.resource(stub).patch(PatchContext.of(type), body);
    }

    /** Patches the status subresource of the object {@code stub} names. */
    public static void status(KubernetesClient client, HasMetadata stub, PatchType type, String body) {
        client.resource(stub).subresource("status").patch(PatchContext.of(type), body);
    }
}
