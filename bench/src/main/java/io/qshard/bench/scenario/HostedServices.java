package io.qshard.bench.scenario;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Tier;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.replicas.Bookkeeping;
import io.qshard.core.replicas.HostedWorkload;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.core.replicas.HostingSpec;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.core.replicas.ReplicaGovernor;
import io.qshard.core.replicas.ReplicaPlanner;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The borrowing tiers' services of the replica-hosting scenario (issue 23), as a {@link TraceScenario.StepHook}:
 * long-running workloads whose pods end after an exponential lifetime (rolling restarts, crashes) or are evicted by the
 * migration loop, and are re-created pending like a ReplicaSet's. With hosting on, every step runs the controller's
 * own {@link ReplicaPlanner} and {@link ReplicaGovernor} on the scenario's snapshot, usage view and tier algorithms at
 * the simulated time, and sets the replicas; the bookkeeping lives here (no manual changes). Then it reconciles: it
 * creates missing pods and deletes extra ones, pending first, then the newest bound. Deterministic for a seed. Not
 * thread-safe.
 */
final class HostedServices implements TraceScenario.StepHook {
    /**
     * @param batchServices       services of the batch tier
     * @param freeServices        services of the free tier
     * @param batchShare          Σ request × pod cpu of the batch services, share of the fleet's cpu
     * @param freeShare           the same for the free services
     * @param minFactor           min replicas = max(1, ⌈request × this⌉)
     * @param maxFactor           max replicas = max(min, 1, ⌈request × this⌉)
     * @param minCpuMilli         smallest pod cpu (100m steps)
     * @param maxCpuMilli         largest pod cpu
     * @param memoryPerCore       pod memory per requested core, bytes
     * @param meanLifetimeSeconds mean pod lifetime (exponential, ≥ 60 s), simulated seconds
     */
    record Settings(
            int batchServices,
            int freeServices,
            double batchShare,
            double freeShare,
            double minFactor,
            double maxFactor,
            long minCpuMilli,
            long maxCpuMilli,
            long memoryPerCore,
            long meanLifetimeSeconds) {}

    /** One service: its pod template, the owner's request and the hosting range. */
    record Service(WorkloadKey key, String uid, PodRequest template, int request, HostingSpec spec) {}

    private static final class Live {
        final Service service;
        final List<String> pods = new ArrayList<>(); // creation order
        int replicas;
        Bookkeeping book;

        Live(Service service) {
            this.service = service;
            this.replicas = service.request();
            this.book = new Bookkeeping(service.request(), null, null, null, null);
        }
    }

    private final List<Live> services = new ArrayList<>();
    private final Set<String> serviceUids = new HashSet<>();
    private final QshardConfig config;
    private final ReplicaPlanner planner;
    private final ReplicaGovernor governor;
    private final Comparator<HostedWorkload> importance;
    private final SplittableRandom lifetimes;
    private final long meanLifetimeSeconds;
    private long seed;
    private long created;
    private boolean registered;
    private long measuredSteps;
    private double replicaSum;

    /**
     * @param services the services ({@link #build})
     * @param config   the schedulers' configuration (tiers, pools)
     * @param hosting  replica hosting's settings, or null for hosting off (the replicas stay at the request)
     * @param settings the sizing (for the lifetimes)
     * @param seed     seeds the lifetimes and the planner's tie-breaks
     */
    HostedServices(List<Service> services, QshardConfig config, HostingSettings hosting, Settings settings, long seed) {
        services.forEach(s -> this.services.add(new Live(s)));
        services.forEach(s -> serviceUids.add(s.uid()));
        this.config = config;
        this.planner = hosting == null ? null : new ReplicaPlanner(new NodeRoom(config.pools()), hosting);
        this.governor = hosting == null ? null : new ReplicaGovernor(hosting);
        this.importance = HostedWorkload.importance(tier -> -config.tier(tier).priority());
        this.lifetimes = new SplittableRandom(seed ^ 0x5EED_11FEL);
        this.meanLifetimeSeconds = settings.meanLifetimeSeconds();
        this.seed = seed;
    }

    /**
     * The services of a fleet: pod sizes and weights drawn from {@code seed}; each tier's Σ request × pod cpu is its
     * share of {@code fleetMilliCpu}, split by the weights.
     */
    static List<Service> build(Settings s, QshardConfig config, long fleetMilliCpu, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Service> out = new ArrayList<>();
        out.addAll(tier(s, config.tier("batch"), s.batchServices(), s.batchShare() * fleetMilliCpu, random));
        out.addAll(tier(s, config.tier("free"), s.freeServices(), s.freeShare() * fleetMilliCpu, random));
        return out;
    }

    private static List<Service> tier(Settings s, Tier tier, int count, double milliCpu, SplittableRandom random) {
        double[] weights = new double[count];
        long[] cpu = new long[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            weights[i] = 0.2 + random.nextDouble();
            total += weights[i];
            cpu[i] = s.minCpuMilli() + 100 * random.nextLong((s.maxCpuMilli() - s.minCpuMilli()) / 100 + 1);
        }
        List<Service> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int request = (int) Math.max(1, Math.round(milliCpu * weights[i] / total / cpu[i]));
            int min = (int) Math.max(1, Math.ceil(request * s.minFactor()));
            int max = (int) Math.max(min, Math.ceil(request * s.maxFactor()));
            String name = tier.name() + "-svc-" + i;
            String uid = "uid-" + name;
            PodRequest template = pod(uid, name, tier, cpu[i], cpu[i] * s.memoryPerCore() / 1000, null);
            out.add(new Service(
                    new WorkloadKey("scenario", "apps", "Deployment", name),
                    uid,
                    template,
                    request,
                    new HostingSpec(true, min, max)));
        }
        return out;
    }

    @Override
    public void afterReports(TraceScenario s, Instant now) {
        if (!registered) {
            services.forEach(l -> s.controlledBy(l.service.uid()));
            registered = true;
        }
        for (Live l : services) { // pods that ended (lifetime, eviction) are gone; the reconcile re-creates them
            l.pods.removeIf(uid -> !s.isPending(uid) && !s.isBound(uid));
        }
        if (planner != null) {
            s.replicaChanges(host(s, now), now);
        }
        long sum = 0;
        for (Live l : services) {
            reconcile(s, l, now);
            sum += l.replicas;
        }
        if (s.measuring(now)) {
            measuredSteps++;
            replicaSum += sum;
        }
    }

    /** @return the services' mean Σ replicas over the measured steps */
    double meanReplicas() {
        return measuredSteps == 0 ? 0 : replicaSum / measuredSteps;
    }

    /** @return each service's replicas now */
    Map<WorkloadKey, Integer> replicas() {
        Map<WorkloadKey, Integer> out = new java.util.LinkedHashMap<>();
        services.forEach(l -> out.put(l.service.key(), l.replicas));
        return out;
    }

    /** @return the services' Σ request */
    int requested() {
        return services.stream().mapToInt(l -> l.service.request()).sum();
    }

    private int host(TraceScenario s, Instant now) {
        List<HostedWorkload> workloads = new ArrayList<>();
        for (Live l : services) {
            workloads.add(workload(s, l));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < workloads.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> importance.compare(workloads.get(a), workloads.get(b)));
        List<HostedWorkload> sorted = order.stream().map(workloads::get).toList();
        List<Live> lives = order.stream().map(services::get).toList();
        List<PodRequest> other = s.pendingPods().stream()
                .filter(p ->
                        p.owner() == null || !serviceUids.contains(p.owner().uid()))
                .sorted(Comparator.comparingInt(PodRequest::priority)
                        .reversed()
                        .thenComparing(PodRequest::creationTime))
                .toList();
        ReplicaPlanner.Plan plan = planner.plan(s.state().snapshot(), sorted, other, s::algorithm, seed++);
        List<ReplicaDecision> decisions = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            decisions.add(governor.decide(sorted.get(i), plan.recommendations().get(i), now));
        }
        List<ReplicaDecision> limited = governor.limit(decisions, now);
        int writes = 0;
        for (int i = 0; i < limited.size(); i++) {
            ReplicaDecision d = limited.get(i);
            Live l = lives.get(i);
            if (d.next() != null && d.next().intValue() != l.replicas) {
                l.book = new Bookkeeping(l.service.request(), d.next(), l.replicas, now, null);
                l.replicas = d.next();
                writes++;
            }
        }
        return writes;
    }

    /**
     * The service as a cycle sees it, read as the controller's {@code HostingInputs} reads a workload: B, P (pending
     * plus not yet created) and ū (the mean of its bound pods' reported usage, request × estimate factor for a pod
     * without a report, floored at a tenth of the request).
     */
    private HostedWorkload workload(TraceScenario s, Live l) {
        PodRequest template = l.service.template();
        Usage request = new Usage(
                template.requests().batchMilliCpu(), template.requests().batchMemoryBytes());
        Usage estimate = request.times(config.pools().estimateFactor());
        int bound = 0;
        int pending = 0;
        long cpu = 0;
        long memory = 0;
        for (String uid : l.pods) {
            String node = s.state().nodeOf(uid).orElse(null);
            if (node == null) {
                pending += s.isPending(uid) ? 1 : 0;
                continue;
            }
            UsageReport report = s.tracker().report(node);
            Usage u = report == null ? null : report.pods().get(uid);
            u = u == null ? estimate : u;
            bound++;
            cpu += u.milliCpu();
            memory += u.memoryBytes();
        }
        Usage mean = bound == 0 ? estimate : new Usage(cpu / bound, memory / bound);
        Usage floor = new Usage(Math.max(request.milliCpu() / 10, 1), Math.max(request.memoryBytes() / 10, 1L << 20));
        return new HostedWorkload(
                l.service.key(),
                l.service.uid(),
                template.tier(),
                template,
                l.service.spec(),
                l.book,
                l.replicas,
                bound,
                pending + Math.max(0, l.replicas - bound - pending),
                mean.max(floor),
                TraceScenario.T0.minusSeconds(86_400));
    }

    /** Like a ReplicaSet: creates missing pods; deletes extra ones, pending first (newest first), then newest bound. */
    private void reconcile(TraceScenario s, Live l, Instant now) {
        while (l.pods.size() < l.replicas) {
            PodRequest t = l.service.template();
            String name = l.service.key().name() + "-" + created++;
            PodRequest pod = pod(
                    "uid-" + name,
                    name,
                    config.tier(t.tier()),
                    t.requests().batchMilliCpu(),
                    t.requests().batchMemoryBytes(),
                    new OwnerRef("ReplicaSet", l.service.key().name(), l.service.uid()),
                    now);
            s.submit(pod, lifetime());
            l.pods.add(pod.uid());
        }
        for (int i = l.pods.size() - 1; i >= 0 && l.pods.size() > l.replicas; i--) {
            if (s.isPending(l.pods.get(i))) {
                s.remove(l.pods.remove(i));
            }
        }
        while (l.pods.size() > l.replicas) {
            s.remove(l.pods.remove(l.pods.size() - 1));
        }
    }

    private long lifetime() {
        return Math.max(60, Math.round(-Math.log(1 - lifetimes.nextDouble()) * meanLifetimeSeconds));
    }

    private static PodRequest pod(String uid, String name, Tier tier, long cpu, long memory, OwnerRef owner) {
        return pod(uid, name, tier, cpu, memory, owner, TraceScenario.T0.minusSeconds(86_400));
    }

    private static PodRequest pod(
            String uid, String name, Tier tier, long cpu, long memory, OwnerRef owner, Instant created) {
        return new PodRequest(
                uid,
                "scenario",
                name,
                tier.name(),
                tier.poolRule(),
                new Resources(0, 0, 1, cpu, memory),
                Map.of(),
                null,
                List.of(),
                tier.priority(),
                created,
                owner,
                null);
    }
}
