package io.qshard.kube.convert;

/**
 * What {@link PodJsonReader#read(tools.jackson.core.JsonParser, java.util.function.Consumer)} could read of a pod it
 * could not decode: the identity in its {@code metadata} (each field null when it was not read — absent, or after
 * the point where {@code metadata} itself was wrong) and why the pod was refused. Immutable.
 *
 * @param namespace       metadata.namespace, or null
 * @param name            metadata.name, or null
 * @param uid             metadata.uid, or null: without it nothing can be done about the pod
 * @param resourceVersion metadata.resourceVersion, or null
 * @param reason          what the decoder refused, one line
 */
public record UndecodablePod(String namespace, String name, String uid, String resourceVersion, String reason) {
    /** {@code namespace/name}, with {@code ?} for what was not read. */
    public String key() {
        return (namespace == null ? "?" : namespace) + "/" + (name == null ? "?" : name);
    }
}
