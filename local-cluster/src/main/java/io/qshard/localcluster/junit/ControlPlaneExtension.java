package io.qshard.localcluster.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension behind {@link RealControlPlane}: one control plane per test JVM, kept in the root
 * extension store and closed (processes stopped, run directory removed) when the test plan ends — or by
 * the control plane's own shutdown hook if the JVM is interrupted.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneExtension.class);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ControlPlaneExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Shared shared = shared(context);
        RealControlPlane options = AnnotationSupport.findAnnotation(
                        context.getRequiredTestClass(), RealControlPlane.class)
                .orElseThrow();
        if (options.controllerManager()) {
            shared.controlPlane.ensureControllerManager();
        }
        if (!options.keepNodes()) {
            shared.client.nodes().delete();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubernetesClient.class || type == LocalControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Shared shared = shared(context);
        return parameter.getParameter().getType() == KubernetesClient.class ? shared.client : shared.controlPlane;
    }

    private static Shared shared(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> Shared.start(), Shared.class);
    }

    /** The JVM-wide control plane and its admin client; JUnit closes it at the end of the test plan. */
    static final class Shared implements AutoCloseable {
        final LocalControlPlane controlPlane;
        final KubernetesClient client;

        private Shared(LocalControlPlane controlPlane, KubernetesClient client) {
            this.controlPlane = controlPlane;
            this.client = client;
        }

        static Shared start() {
            long t0 = System.nanoTime();
            LocalControlPlane cp = LocalControlPlane.start(ControlPlaneOptions.defaults());
            LOG.info("shared control plane for this test JVM ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
            return new Shared(cp, KubeClients.forControlPlane(cp, "qshard-it-admin"));
        }

        @Override
        public void close() {
            try {
                client.close();
            } finally {
                controlPlane.close();
            }
        }
    }
}
