package io.qshard.bench.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One measured round of an end-to-end backlog benchmark: a fresh namespace with {@code pods} pending pods of a
 * {@link BacklogWorkload} (by default prod-shaped, 100m / 128Mi; optionally after {@code warmup} older ones in another
 * namespace), the contender started, a watch recording when each pod was bound (the rate, and the
 * {@link BindingTimeline} of the window), the CPU seconds of the contender's processes, the apiserver and etcd; then
 * the workload's audit of the bound pods, if it has one; afterwards the pods are deleted so every round starts from
 * the same etcd and watch-cache size. Used by {@link BacklogBench} and {@link ShardBacklogBench}.
 */
final class BacklogRound {
    /**
     * The outcome of one round; rates in pods per second, times in seconds; {@code audit} is the workload's check of
     * the bound pods, or null when it checks nothing.
     */
    record Result(
            String name,
            int bound,
            double podsPerSecond,
            double wallSeconds,
            double contenderCpu,
            double apiserverCpu,
            double etcdCpu,
            Burst burst,
            PlacementAudit audit) {}

    /**
     * CPU seconds spent between the first and the last binding (sampled every 50 ms, so ±50 ms at either end) —
     * start-up excluded: where the throughput is decided.
     */
    record Burst(double contenderCpu, double apiserverCpu, double etcdCpu) {
        static final Burst NONE = new Burst(0, 0, 0);
    }

    private BacklogRound() {}

    /** A round of the plain backlog ({@link PlainWorkload}). */
    static Result run(
            KubernetesClient admin, LocalControlPlane cp, Contender c, BacklogOptions o, int warmup, int round)
            throws Exception {
        return run(admin, cp, c, o, warmup, round, PlainWorkload.INSTANCE);
    }

    /**
     * A round of {@code workload}'s pods; once the contender has stopped, and before the pods are deleted, the
     * workload audits what is bound.
     *
     * @param round numbers the apiserver profile's file when {@code o.apiserverProfile} is set
     */
    static Result run(
            KubernetesClient admin,
            LocalControlPlane cp,
            Contender c,
            BacklogOptions o,
            int warmup,
            int round,
            BacklogWorkload workload)
            throws Exception {
        int pods = o.pods;
        String warm = Namespaces.fresh(admin, "warmup");
        if (warmup > 0) {
            Bulk.create(admin, workload.pods(warm, warmup, c.schedulerName()), 16);
            Thread.sleep(1100); // creation timestamps have 1 s resolution: measured pods must be strictly younger
        }
        String ns = Namespaces.fresh(admin, "bench");
        Bulk.create(admin, workload.pods(ns, pods, c.schedulerName()), 16);
        System.out.printf("%s: %d warm-up + %d measured pending pods created, starting%n", c.name(), warmup, pods);
        try {
            Result r = measure(admin, cp, c, o, round, ns, pods);
            PlacementAudit audit = workload.audit(admin, ns); // the contender has stopped: its final placement
            if (audit != null) {
                System.out.printf("%s: audit: %s%n", c.name(), audit);
                r = new Result(
                        r.name(),
                        r.bound(),
                        r.podsPerSecond(),
                        r.wallSeconds(),
                        r.contenderCpu(),
                        r.apiserverCpu(),
                        r.etcdCpu(),
                        r.burst(),
                        audit);
            }
            return r;
        } finally {
            cleanUp(cp, ns, warm);
        }
    }

    /** Starts the contender on the pending pods of {@code ns}, measures until all are bound, and stops it. */
    private static Result measure(
            KubernetesClient admin, LocalControlPlane cp, Contender c, BacklogOptions o, int round, String ns, int pods)
            throws Exception {
        long apiserver = cp.pids().get("kube-apiserver");
        long etcd = cp.pids().get("etcd");
        long self = ProcessHandle.current().pid();
        try (BindWatcher watcher = new BindWatcher(admin, ns, pods);
                c) {
            c.reset();
            collectApiserverGarbage(admin);
            double api0 = CpuTime.of(apiserver);
            double etcd0 = CpuTime.of(etcd);
            double self0 = CpuTime.of(self);
            long t0 = System.nanoTime();
            c.start(cp.kubeconfig(), ns);
            List<Long> pids = c.pids();
            long deadline = t0 + o.timeoutSeconds * 1_000_000_000L;
            double contenderCpu = 0;
            double[] atFirst = null;
            CompletableFuture<Path> profile = null;
            while (watcher.bound() < pods && System.nanoTime() < deadline) {
                Thread.sleep(50); // harness progress polling, not test synchronisation
                double cpu = pids.isEmpty()
                        ? CpuTime.of(self) - self0
                        : pids.stream().mapToDouble(CpuTime::of).sum();
                contenderCpu = Math.max(contenderCpu, cpu); // a process that exited reads 0: keep the last reading
                if (atFirst == null && watcher.firstNanos() != 0) {
                    atFirst = new double[] {contenderCpu, CpuTime.of(apiserver), CpuTime.of(etcd)};
                    if (o.apiserverProfile != null) {
                        profile = ApiserverProfile.start(admin, o.apiserverProfile, c.name(), round);
                    }
                }
                if (!pids.isEmpty()
                        && pids.stream()
                                .noneMatch(p -> ProcessHandle.of(p)
                                        .map(ProcessHandle::isAlive)
                                        .orElse(false))) {
                    System.out.printf(
                            "%s: every process exited (see its log) with %d/%d bound%n",
                            c.name(), watcher.bound(), pods);
                    break;
                }
            }
            double rate = (watcher.bound() - 1) / watcher.bindingSpanSeconds();
            double wall = (watcher.lastNanos() - t0) / 1e9;
            double apiNow = CpuTime.of(apiserver);
            double etcdNow = CpuTime.of(etcd);
            Burst burst = atFirst == null
                    ? Burst.NONE
                    : new Burst(contenderCpu - atFirst[0], apiNow - atFirst[1], etcdNow - atFirst[2]);
            Result r = new Result(
                    c.name(), watcher.bound(), rate, wall, contenderCpu, apiNow - api0, etcdNow - etcd0, burst, null);
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d/%d bound, %.0f pods/s, %.1f s wall, cpu s: contender %.1f apiserver %.1f etcd %.1f"
                            + " (first→last binding: %.1f / %.1f / %.1f)%n",
                    c.name(),
                    r.bound(),
                    pods,
                    rate,
                    wall,
                    r.contenderCpu(),
                    r.apiserverCpu(),
                    r.etcdCpu(),
                    burst.contenderCpu(),
                    burst.apiserverCpu(),
                    burst.etcdCpu());
            System.out.printf("%s: bindings seen %s%n", c.name(), watcher.window());
            BindingTimeline timeline = watcher.timeline();
            System.out.printf("%s: timeline %s%n", c.name(), timeline);
            if (profile != null) {
                System.out.printf(
                        "%s: apiserver CPU profile of %d s from the first binding: %s (bindings in those %d s: ~%d)%n",
                        c.name(),
                        ApiserverProfile.SECONDS,
                        profile.get(ApiserverProfile.SECONDS + 30L, TimeUnit.SECONDS),
                        ApiserverProfile.SECONDS,
                        timeline == null ? 0 : timeline.boundWithin(ApiserverProfile.SECONDS));
            }
            return r;
        }
    }

    /**
     * Runs a full garbage collection in the kube-apiserver ({@code /debug/pprof/heap?gc=1}; the bench starts it with
     * {@code --profiling=true}) and waits for it. Its Go heap reaches 0.4–1 GB here and a collection costs 0.5–1.3
     * CPU-s, every 3–6 s under load: whether one falls into a contender's ~5 s binding window was chance, and moved a
     * round by ±15 %. Each contender now starts right after one, so its window holds the collections its own load
     * causes.
     */
    static void collectApiserverGarbage(KubernetesClient admin) throws Exception {
        var http = admin.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(java.net.URI.create(
                        io.qshard.kube.client.ApiserverConnection.baseUrl(admin) + "/debug/pprof/heap?gc=1"))
                .build();
        var response = http.sendAsync(request, byte[].class).get(60, TimeUnit.SECONDS);
        if (response.code() != 200) {
            throw new IllegalStateException("apiserver garbage collection: HTTP " + response.code()
                    + " (is the bench's control plane started with --profiling=true?)");
        }
    }

    /** The round with the median throughput. */
    static Result median(List<Result> rs) {
        List<Result> sorted = new ArrayList<>(rs);
        sorted.sort(Comparator.comparingDouble(Result::podsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    /** Deletes the round's pods (grace 0: no kubelet). */
    private static void cleanUp(LocalControlPlane cp, String... namespaces) {
        Config cfg = new ConfigBuilder(Config.fromKubeconfig(cp.kubeconfig().toFile()))
                .withRequestTimeout(300_000)
                .build();
        try (KubernetesClient slow =
                new KubernetesClientBuilder().withConfig(cfg).build()) {
            for (String ns : namespaces) {
                slow.pods().inNamespace(ns).withGracePeriod(0).delete();
            }
        }
    }
}
