package io.qshard.core.testing;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.ClassUsage;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.usage.UsageView;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of the numbers the API can hand the core — anything from 0 to {@link Long#MAX_VALUE} (the decoder
 * saturates there), doubles including NaN and ±∞ — mixed so that realistic sizes, the sane bound 2^53 and the very top
 * of the range all come up often, and exact reference arithmetic to check saturation against.
 */
public final class Extremes {
    /** The sane bound of the conversions and the usage-report check: 2^53. */
    public static final long SANE = 1L << 53;

    private static final String[] TIERS = {"prod", "mid", "batch", "free"};
    private static final String[] REPORTED_TIERS = {"prod", "mid", "batch", "free", UsageView.OTHER};

    private Extremes() {}

    /** An amount in [0, {@link Long#MAX_VALUE}]: realistic, around 2^53, anywhere, or at the very top. */
    public static Arbitrary<Long> amounts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 1L << 40)),
                Tuple.of(1, Arbitraries.longs().between(SANE - 1000, SANE + 1000)),
                Tuple.of(3, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                Tuple.of(2, Arbitraries.longs().between(Long.MAX_VALUE - 1000, Long.MAX_VALUE)));
    }

    /** Any long, the extremes of both signs often. */
    public static Arbitrary<Long> signedAmounts() {
        return Arbitraries.oneOf(
                amounts(), amounts().map(v -> -v), Arbitraries.longs().between(Long.MIN_VALUE, Long.MIN_VALUE + 1000));
    }

    /** Any double: NaN, ±∞, ±0, the largest and smallest, and ordinary fractions. */
    public static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().withStandardSpecialValues().withSpecialValue(Double.MAX_VALUE),
                Arbitraries.doubles().between(-2, 2),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE));
    }

    /** Requests of a pod of {@code rule}: cpu and memory in its currency (native or batch), one pod slot. */
    public static Resources requests(PoolRule rule, long cpu, long memory) {
        return rule.requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED
                ? new Resources(0, 0, 1, cpu, memory)
                : new Resources(cpu, memory, 1, 0, 0);
    }

    /** A pod of a default tier named {@code tier}, created at {@link Fixtures#T0}, with these requests. */
    public static PodRequest pod(String uid, String tier, Resources requests) {
        PoolRule rule = DefaultTiers.named(tier).poolRule();
        return new PodRequest(
                uid, "ns", uid, tier, rule, requests, Map.of(), null, List.of(), 0, Fixtures.T0, null, null);
    }

    /** A pod of a default tier, sized in its tier's currency with {@link #amounts()}. */
    public static Arbitrary<PodRequest> anyPod() {
        return Combinators.combine(
                        Arbitraries.strings().alpha().ofLength(8), Arbitraries.of(TIERS), amounts(), amounts())
                .as((uid, tier, cpu, mem) ->
                        pod(uid, tier, requests(DefaultTiers.named(tier).poolRule(), cpu, mem)));
    }

    /** Pods of every default tier ({@link #anyPod()}), unique uids. */
    public static Arbitrary<List<PodRequest>> pods(int max) {
        return anyPod().list().ofMaxSize(max).uniqueElements(PodRequest::uid);
    }

    /** {@code v} clamped to the range of a long: what saturating arithmetic must return for the exact value v. */
    public static long clamp(BigInteger v) {
        return v.max(BigInteger.valueOf(Long.MIN_VALUE))
                .min(BigInteger.valueOf(Long.MAX_VALUE))
                .longValueExact();
    }

    /** The exact sum, clamped. */
    public static long sum(long a, long b) {
        return clamp(BigInteger.valueOf(a).add(BigInteger.valueOf(b)));
    }

    /** The exact difference, clamped. */
    public static long difference(long a, long b) {
        return clamp(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)));
    }
    /** Node allocatable (or requests) with every fixed component from {@link #amounts()}, no scalar resources. */
    public static Arbitrary<Resources> resources() {
        return Combinators.combine(amounts(), amounts(), amounts(), amounts(), amounts())
                .as(Resources::new);
    }

    /** A usage figure, each component from {@link #amounts()}. */
    public static Arbitrary<Usage> usages() {
        return Combinators.combine(amounts(), amounts()).as(Usage::new);
    }

    /** Usage per tier name (the default tiers and {@link UsageView#OTHER}). */
    public static Arbitrary<Map<String, Usage>> tierUsages() {
        return Arbitraries.maps(Arbitraries.of(REPORTED_TIERS), usages()).ofMaxSize(REPORTED_TIERS.length);
    }

    /** The accounting class of a tier name, as the schedulers map it: unknown tiers and "other" count as prod. */
    public static PoolRule classOf(String tier) {
        return switch (tier) {
            case "prod", "mid", "batch", "free" -> DefaultTiers.named(tier).poolRule();
            default -> PoolRule.ALLOCATABLE;
        };
    }

    /** Nodes with extreme allocatable, pods and (or no) usage report. */
    public static Arbitrary<NodeSetup> nodes(int maxPods) {
        return Combinators.combine(
                        resources(),
                        resources(),
                        pods(maxPods),
                        usages().injectNull(0.3).list().ofSize(maxPods),
                        tierUsages(),
                        tierUsages(),
                        Arbitraries.of(NodeSetup.Report.values()))
                .as(NodeSetup::new);
    }

    /**
     * One node: allocatable and real allocatable, the pods bound to it, and how it reports usage.
     *
     * @param podUsage usage per pod in the report, by the pod's position (null: missing from the report)
     * @param tiers    usage per tier in the report
     * @param peaks    predicted peaks per tier
     * @param report   whether and how the node reports
     */
    public record NodeSetup(
            Resources allocatable,
            Resources real,
            List<PodRequest> pods,
            List<Usage> podUsage,
            Map<String, Usage> tiers,
            Map<String, Usage> peaks,
            Report report) {
        /** No report (conservative view), a report while the pods are young, or one when they are an hour old. */
        public enum Report {
            NONE,
            YOUNG_PODS,
            OLD_PODS
        }

        /** The scheduler's clock at the report. */
        public Instant now() {
            return Fixtures.T0.plusSeconds(report == Report.OLD_PODS ? 3600 : 5);
        }

        /** The node's usage report, or null. */
        public UsageReport usageReport() {
            if (report == Report.NONE) {
                return null;
            }
            Map<String, Usage> byPod = new HashMap<>();
            for (int i = 0; i < pods.size(); i++) {
                if (podUsage.get(i) != null) {
                    byPod.put(pods.get(i).uid(), podUsage.get(i));
                }
            }
            return new UsageReport("n", now(), Duration.ofSeconds(10), Usage.ZERO, tiers, byPod);
        }

        /** The usage view the scheduler computes for the node. */
        public UsageView view() {
            return UsageView.of(
                            pods, usageReport(), now(), PoolConfig.defaults().estimates())
                    .withPredictedPeaks(peaks);
        }

        /** The node's state with its pods bound and its usage figures (when it reports). */
        public NodeState state() {
            NodeState s = NodeState.of(new Node("n", Map.of(), List.of(), allocatable, real, false));
            for (PodRequest p : pods) {
                s = s.reserve(p.boundTo("n"));
            }
            return report == Report.NONE ? s : s.withUsage(ClassUsage.of(view(), Extremes::classOf, 1.0));
        }

        /** Σ the requests of the pods, component c ({@link NodeState#CPU}…), exactly. */
        public BigInteger exactRequested(int c) {
            BigInteger sum = BigInteger.ZERO;
            for (PodRequest p : pods) {
                Resources r = p.requests();
                long[] v = {r.milliCpu(), r.memoryBytes(), r.pods(), r.batchMilliCpu(), r.batchMemoryBytes()};
                sum = sum.add(BigInteger.valueOf(v[c]));
            }
            return sum;
        }

        @Override
        public String toString() {
            return "alloc " + allocatable + ", real " + real + ", " + pods.size() + " pods "
                    + pods.stream().map(p -> p.tier() + ":" + p.requests()).toList() + ", report " + report
                    + ", tiers " + tiers + ", peaks " + peaks + ", pod usage " + podUsage;
        }
    }
}
