package io.qshard.bench.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.shard.binder.BindOutcome;
import io.qshard.shard.binder.Binder;
import io.qshard.shard.scheduler.SchedulerProcess;

/**
 * The ceiling: a client that lists the backlog once and only POSTs bindings, round-robin over the nodes,
 * with the same HTTP path and concurrency as qshard's binder — no watch, no decisions, no events.
 */
final class RawBindContender implements Contender {
    static final String SCHEDULER_NAME = "bench-raw-binder";
    private final int concurrency;
    private final List<String> nodes;
    private ExecutorService loop;
    private KubernetesClient client;
    private Binder binder;

    RawBindContender(int concurrency, List<String> nodes) {
        this.concurrency = concurrency;
        this.nodes = nodes;
    }

    @Override
    public String name() {
        return "raw binding client";
    }

    @Override
    public String schedulerName() {
        return SCHEDULER_NAME;
    }

    @Override
    public void start(Path kubeconfig, String namespace) {
        loop = Executors.newSingleThreadExecutor();
        client = SchedulerProcess.clientFor(io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig.toFile()), "bench-raw-binder");
        binder = new Binder(client, concurrency);
        loop.submit(() -> {
            // oldest first, like the schedulers' queues: warm-up pods (other namespace, same schedulerName) go first
            List<Pod> pods = new java.util.ArrayList<>(client.pods().inAnyNamespace()
                    .withField("spec.schedulerName", SCHEDULER_NAME).withField("spec.nodeName", "").list().getItems());
            pods.sort(java.util.Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()));
            int i = 0;
            for (Pod p : pods) {
                String node = nodes.get(i++ % nodes.size());
                binder.bind(p.getMetadata().getNamespace(), p.getMetadata().getName(), p.getMetadata().getUid(), node, (BindOutcome o) -> {
                    if (o.kind() != BindOutcome.Kind.BOUND) {
                        System.err.println("raw bind failed: " + o);
                    }
                });
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
        }
        if (binder != null) {
            binder.close();
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
