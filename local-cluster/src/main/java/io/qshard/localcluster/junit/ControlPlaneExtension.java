package io.qshard.localcluster.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.KubeletOptions;
import io.qshard.localcluster.KubeletSupport;
import io.qshard.localcluster.LocalControlPlane;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension behind {@link RealControlPlane}: one control plane per test JVM (and a second one, with real
 * kubelet nodes, for the classes that ask for them), kept in the root extension store and closed (kubelets,
 * processes, run directories) when the test plan ends — or by their own shutdown hooks if the JVM is interrupted.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneExtension.class);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ControlPlaneExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        RealControlPlane options = options(context);
        if (options.kubeletNodes() > 0) {
            Optional<String> unavailable = KubeletSupport.unavailable();
            if (unavailable.isPresent()) {
                LOG.warn("skipping {}: {}", context.getRequiredTestClass().getName(), unavailable.get());
                Assumptions.abort("this machine cannot run a kubelet: " + unavailable.get());
            }
        }
        Shared shared = shared(context);
        if (options.controllerManager()) {
            shared.controlPlane.ensureControllerManager();
        }
        if (!shared.withKubelets) {
            if (!options.keepNodes()) {
                shared.client.nodes().delete();
            }
            return;
        }
        shared.ensureKubelets(options.kubeletNodes());
        if (!options.keepNodes()) {
            shared.client.nodes().withoutLabel(KubeletNodes.NODE_LABEL).delete();
        }
        shared.kubelets.reset(shared.client);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubernetesClient.class
                || type == LocalControlPlane.class
                || (type == KubeletNodes.class && options(context).kubeletNodes() > 0);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Shared shared = shared(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == KubeletNodes.class) {
            return shared.kubelets;
        }
        return type == KubernetesClient.class ? shared.client : shared.controlPlane;
    }

    private static RealControlPlane options(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RealControlPlane.class)
                .orElseThrow();
    }

    private static Shared shared(ExtensionContext context) {
        boolean kubelets = options(context).kubeletNodes() > 0;
        Class<?> key = kubelets ? KubeletShared.class : Shared.class;
        return context.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent(key, k -> Shared.start(kubelets ? "kubelet" : "api-only"), Shared.class);
    }

    /** Store key of the control plane that has kubelet nodes. */
    private static final class KubeletShared {}

    /**
     * A JVM-wide control plane, its admin client and (for kubelet classes) its kubelet nodes; JUnit closes it at the
     * end of the test plan: nodes, then client, then control plane. Used from JUnit's thread only.
     */
    static final class Shared implements AutoCloseable {
        final LocalControlPlane controlPlane;
        final KubernetesClient client;
        final boolean withKubelets;
        KubeletNodes kubelets;

        private Shared(LocalControlPlane controlPlane, KubernetesClient client, boolean withKubelets) {
            this.controlPlane = controlPlane;
            this.client = client;
            this.withKubelets = withKubelets;
        }

        static Shared start(String kind) {
            long t0 = System.nanoTime();
            LocalControlPlane cp = LocalControlPlane.start(ControlPlaneOptions.defaults());
            LOG.info(
                    "shared {} control plane for this test JVM ready in {} ms",
                    kind,
                    (System.nanoTime() - t0) / 1_000_000);
            Shared shared = new Shared(cp, KubeClients.forControlPlane(cp, "qshard-it-admin"), kind.equals("kubelet"));
            return shared;
        }

        /**
         * Starts (or restarts with more) kubelet nodes so that at least {@code count} run.
         *
         * @throws IllegalStateException when the running set is no longer usable (closed, or a kubelet or containerd
         *     died): it is closed and forgotten, so the next class starts a fresh set
         */
        void ensureKubelets(int count) {
            if (kubelets != null) {
                KubeletNodes current = kubelets;
                Optional<String> unusable = current.unusable();
                if (unusable.isPresent()) {
                    kubelets = null;
                    current.close();
                    throw new IllegalStateException("the shared kubelet nodes cannot be used any more (the next class "
                            + "starts new ones): " + unusable.get());
                }
                if (current.nodes().size() >= count) {
                    return;
                }
                kubelets = null;
                current.close();
            }
            long t0 = System.nanoTime();
            kubelets =
                    KubeletNodes.start(controlPlane, KubeletOptions.defaults().withCount(count));
            LOG.info("{} kubelet nodes Ready in {} ms", count, (System.nanoTime() - t0) / 1_000_000);
        }

        @Override
        public void close() {
            try {
                if (kubelets != null) {
                    kubelets.close();
                }
            } finally {
                try {
                    client.close();
                } finally {
                    controlPlane.close();
                }
            }
        }
    }
}
