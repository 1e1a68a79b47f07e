package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plain binding client of the reference numbers ("a naive fabric8 loop with 32 threads"): a
 * default fabric8 client, N threads each doing blocking {@code client.bindings().resource(b).create()} —
 * no watch, no decisions. Oldest pods first, round-robin over the nodes.
 *
 * <pre>java -cp benchmarks.jar io.qshard.bench.e2e.NaiveBindMain KUBECONFIG SCHEDULER_NAME THREADS</pre>
 */
public final class NaiveBindMain {
    private NaiveBindMain() {}

    public static void main(String[] args) throws InterruptedException {
        Path kubeconfig = Path.of(args[0]);
        String schedulerName = args[1];
        int threads = Integer.parseInt(args[2]);
        Config config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig.toFile()))
                .withUserAgent("bench-naive-binder")
                .withMaxConcurrentRequests(threads)
                .withMaxConcurrentRequestsPerHost(threads)
                .build();
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            List<String> nodes = client.nodes().list().getItems().stream()
                    .map(n -> n.getMetadata().getName())
                    .sorted()
                    .toList();
            List<Pod> pods = new ArrayList<>(client.pods()
                    .inAnyNamespace()
                    .withField("spec.schedulerName", schedulerName)
                    .withField("spec.nodeName", "")
                    .list()
                    .getItems());
            pods.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()));
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    for (int i; (i = next.getAndIncrement()) < pods.size(); ) {
                        Pod p = pods.get(i);
                        Binding b = new BindingBuilder()
                                .withNewMetadata()
                                .withName(p.getMetadata().getName())
                                .withNamespace(p.getMetadata().getNamespace())
                                .endMetadata()
                                .withNewTarget()
                                .withApiVersion("v1")
                                .withKind("Node")
                                .withName(nodes.get(i % nodes.size()))
                                .endTarget()
                                .build();
                        try {
                            client.bindings()
                                    .inNamespace(p.getMetadata().getNamespace())
                                    .resource(b)
                                    .create();
                        } catch (RuntimeException e) {
                            System.err.println("bind failed: " + e.getMessage());
                        }
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            System.out.println("bound " + pods.size());
        }
    }
}
