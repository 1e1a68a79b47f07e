package io.qshard.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.core.model.Node;
import io.qshard.kube.convert.NodeConverter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own Node, from an informer limited to it ({@code fieldSelector=metadata.name=<node>}), converted to the
 * core record (real allocatable, advertised batch resources). Thread-safe.
 */
public final class OwnNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnNode.class);

    private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Node> informer;
    private final AtomicReference<Node> current = new AtomicReference<>();

    public OwnNode(KubernetesClient client, String nodeName) {
        this.informer = client.nodes().withField("metadata.name", nodeName).runnableInformer(0);
        informer.exceptionHandler((started, t) -> {
            LOG.warn("node informer: {} (retrying)", t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(io.fabric8.kubernetes.api.model.Node n) {
                set(n);
            }

            @Override
            public void onUpdate(io.fabric8.kubernetes.api.model.Node old, io.fabric8.kubernetes.api.model.Node n) {
                set(n);
            }

            @Override
            public void onDelete(io.fabric8.kubernetes.api.model.Node n, boolean unknown) {
                current.set(null);
            }
        });
    }

    private void set(io.fabric8.kubernetes.api.model.Node n) {
        try {
            current.set(NodeConverter.convert(n));
        } catch (RuntimeException e) {
            LOG.warn("cannot read node {}: {}", n.getMetadata().getName(), e.getMessage());
        }
    }

    /** Starts the informer and waits for its first list. */
    public void start(Duration timeout) throws Exception {
        informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the node, or null while it does not exist */
    public Node get() {
        return current.get();
    }

    @Override
    public void close() {
        informer.close();
    }
}
