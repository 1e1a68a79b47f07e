package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.convert.RawPod;
import io.qshard.kube.informer.PodReflector;
import io.qshard.shard.binder.BindOutcome;
import io.qshard.shard.binder.Binder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw binding ceiling as its own process: lists the pending pods of one schedulerName once (oldest
 * first, as the schedulers' queues order them) and POSTs a binding for each, round-robin over the nodes,
 * through qshard's binder (same HTTP client, TLS and concurrency) — no decisions, no events, and no watch unless
 * {@code -Draw.watches=N} asks for N pod watches like the one every scheduler keeps.
 * Started per round by {@link BacklogBench} with the same JVM flags as {@code bin/qshard}, so its numbers
 * do not depend on how warm the harness's own JVM happens to be.
 *
 * <pre>java -cp benchmarks.jar io.qshard.bench.e2e.RawBindMain KUBECONFIG SCHEDULER_NAME CONCURRENCY</pre>
 */
public final class RawBindMain {
    private RawBindMain() {}

    public static void main(String[] args) throws InterruptedException {
        Path kubeconfig = Path.of(args[0]);
        String schedulerName = args[1];
        int concurrency = Integer.parseInt(args[2]);
        try (KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                        Config.fromKubeconfig(kubeconfig.toFile()), "bench-raw-binder");
                Binder binder = new Binder(client, concurrency)) {
            // -Draw.watches=N pod watches as a scheduler keeps, synced before the first binding (decoded by qshard's
            // reflector
            // and dropped; diagnostic -Draw.protobuf=true: asked for in protobuf, bytes counted only) — what a watch
            // costs:
            // the bench's "lean bind loop + one pod watch" contender (bench/RESULTS.md)
            List<PodReflector> watches = new ArrayList<>();
            List<AtomicLong> protobufBytes = new ArrayList<>();
            for (int w = 0; w < Integer.getInteger("raw.watches", 0); w++) {
                if (Boolean.getBoolean("raw.protobuf")) {
                    protobufBytes.add(ProtobufWatchProbe.start(client));
                } else {
                    watches.add(droppingWatch(client));
                }
            }
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
            CountDownLatch done = new CountDownLatch(pods.size());
            System.out.println("binding " + pods.size() + " pods from " + java.time.LocalTime.now());
            int i = 0;
            for (Pod p : pods) {
                binder.bind(
                        p.getMetadata().getNamespace(),
                        p.getMetadata().getName(),
                        p.getMetadata().getUid(),
                        nodes.get(i++ % nodes.size()),
                        (BindOutcome o) -> {
                            if (o.kind() != BindOutcome.Kind.BOUND) {
                                System.err.println("bind failed: " + o);
                            }
                            done.countDown();
                        });
            }
            done.await();
            System.out.println("bound " + pods.size() + " at " + java.time.LocalTime.now());
            watches.forEach(PodReflector::close);
            protobufBytes.forEach(b -> System.out.println("protobuf watch received " + b.get() + " bytes"));
        }
    }

    /** A pod watch whose events are decoded and dropped; started and synced before returning. */
    private static PodReflector droppingWatch(KubernetesClient client) {
        PodReflector watch = new PodReflector(client, new PodReflector.Sink() {
            @Override
            public void upsert(RawPod pod) {}

            @Override
            public void delete(String uid) {}
        });
        watch.start().join();
        return watch;
    }
}
