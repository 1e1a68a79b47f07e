package io.qshard.core.model;

/**
 * Container image names as kube-scheduler 1.20's ImageLocality compares them ({@code normalizedImageName}): the pod's
 * images ({@link PodDetails#images}, as written in the spec) are normalised, the node's ({@link Node#images}) are
 * compared as the kubelet reports them, unnormalised, as kube-scheduler keys its image states. Idempotent. Stateless.
 */
public final class ImageNames {
    /** The tag a name without one gets. */
    public static final String LATEST = ":latest";

    private ImageNames() {}

    /**
     * {@code name} with {@value #LATEST} appended when it has no tag: when its last {@code ':'} is not after its last
     * {@code '/'} ({@code nginx} → {@code nginx:latest}, {@code localhost:5000/app} →
     * {@code localhost:5000/app:latest}; {@code nginx:1.19} and {@code nginx@sha256:…} unchanged). No other rewriting: {@code docker.io/library/nginx} and
     * {@code nginx} stay different names, as in kube-scheduler.
     */
    public static String normalize(String name) {
        return name.lastIndexOf(':') <= name.lastIndexOf('/') ? name + LATEST : name;
    }
}
