package io.qshard.simulator;

/**
 * The built-in background (prod) load for runs without real traces: a daily cycle with noise and occasional short
 * spikes, deterministic from a seed and the node's name (a node gets the same load in every run with that seed,
 * whatever order the nodes arrive in; the simulator's node index is not used). Per node, the seed draws a base level,
 * a daily amplitude and a peak hour, so nodes differ while the cluster as a whole still swings by day; about a third of
 * the nodes are "spiky". Memory follows the same day, smoother: a smaller amplitude, slower noise, a quarter of each
 * spike.
 * <pre>
 * T         = elapsedSeconds × speedup                  trace seconds; T = 0 is 04:30 of the first day
 * day(T)    = cos(2π (hour(T) − peakHour) / 24)           peakHour = 14:00 ± 2.5 h per node
 * smooth(T) = base + amp × day(T)                         base ∈ [0.12, 0.30], amp ∈ [0.04, 0.16] per node
 * cpu(T)    = clamp(smooth(T) + spike(T) + noise(T))       noise ±0.04 (a quarter of it on a spike's plateau), a
 *                                                          new knot every 10 trace minutes, linear in between
 * spike(T)  = ramp(T) × max(0, level − smooth(T))          one chance per 3 trace hours (25 % on spiky nodes, 3 % on
 *                                                          the others), 40–150 trace minutes, level ∈ [0.80, 1.00],
 *                                                          10-minute ramps up and down
 * memory(T) = clamp(memBase + memAmp × day(T − 1 h) + spike(T) / 4 + noise'(T))
 *                                                          memBase ∈ [0.35, 0.55], memAmp ∈ [0.02, 0.08],
 *                                                          noise' ±0.015 with knots every 30 trace minutes
 * </pre>
 * {@code clamp} keeps values in [0, 1]: fractions of the node's real allocatable, as {@link TraceLoad}'s. Over 200
 * nodes the mean cpu is about 0.24 (0.16 at night, 0.32 in the afternoon; the real traces of {@code ../shared/traces}
 * average 0.14) and about 2 % of node-time is above 0.9 (the real traces: 2.4 % of samples): a quarter to a third of
 * the nodes cross it in 20 trace hours, mostly for one to two trace hours at a time — at the demo's 300× that is
 * 12–24 s, several reports. Immutable and thread-safe.
 */
public final class SyntheticLoad implements BackgroundLoad {
    /** The hour of the day at trace time 0. */
    public static final double START_HOUR = 4.5;
    /** The hour of the cluster's daily peak, before each node's ± {@value #PEAK_JITTER_HOURS} h. */
    public static final double PEAK_HOUR = 14;
    /** How far a node's daily peak may be from {@link #PEAK_HOUR}, in hours. */
    public static final double PEAK_JITTER_HOURS = 2.5;

    private static final double HOUR = 3_600;
    private static final double CPU_NOISE = 0.04;
    private static final double CPU_KNOT = 600;
    private static final double MEMORY_NOISE = 0.015;
    private static final double MEMORY_KNOT = 1_800;
    private static final double SPIKE_SLOT = 3 * HOUR;
    private static final double SPIKE_RAMP = 600;
    private static final double SPIKY_SHARE = 1 / 3.0;
    private static final double SPIKY_CHANCE = 0.25;
    private static final double CALM_CHANCE = 0.03;

    private final long seed;
    private final double speedup;

    /**
     * @param seed    varies every node's draw between runs
     * @param speedup trace seconds per second of {@code elapsedSeconds}, finite and &gt; 0
     * @throws IllegalArgumentException naming the speed-up when it is out of range
     */
    public SyntheticLoad(long seed, double speedup) {
        if (!(speedup > 0 && speedup < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("speed-up must be finite and > 0, was " + speedup);
        }
        this.seed = seed;
        this.speedup = speedup;
    }

    /** One node's draw. */
    private record Profile(
            long key, double base, double amp, double peakHour, double spikeChance, double memBase, double memAmp) {}

    @Override
    public double cpu(String node, int index, double elapsedSeconds) {
        Profile p = profile(node);
        double t = elapsedSeconds * speedup;
        double smooth = p.base() + p.amp() * day(t, p.peakHour());
        Spike spike = spike(p, t);
        double noise = (1 - 0.75 * spike.ramp()) * noise(p.key(), 1, t, CPU_KNOT, CPU_NOISE);
        return clamp(smooth + spike.over(smooth) + noise);
    }

    @Override
    public double memory(String node, int index, double elapsedSeconds) {
        Profile p = profile(node);
        double t = elapsedSeconds * speedup;
        double smooth = p.base() + p.amp() * day(t, p.peakHour());
        return clamp(p.memBase()
                + p.memAmp() * day(t - HOUR, p.peakHour())
                + spike(p, t).over(smooth) / 4
                + noise(p.key(), 2, t, MEMORY_KNOT, MEMORY_NOISE));
    }

    private Profile profile(String node) {
        long key = mix(seed ^ mix(node.hashCode() + 0x632BE59BD9B4E019L));
        return new Profile(
                key,
                0.12 + 0.18 * unit(key, 10, 0),
                0.04 + 0.12 * unit(key, 11, 0),
                PEAK_HOUR + PEAK_JITTER_HOURS * (2 * unit(key, 12, 0) - 1),
                unit(key, 13, 0) < SPIKY_SHARE ? SPIKY_CHANCE : CALM_CHANCE,
                0.35 + 0.20 * unit(key, 14, 0),
                0.02 + 0.06 * unit(key, 15, 0));
    }

    /** The daily cycle at trace time {@code t}: 1 at the node's peak hour, −1 twelve hours away. */
    private static double day(double t, double peakHour) {
        double hour = START_HOUR + t / HOUR;
        return Math.cos(2 * Math.PI * (hour - peakHour) / 24);
    }

    /** A spike at one instant: how far up its ramp (0: none, 1: on the plateau) and its plateau's level. */
    private record Spike(double ramp, double level) {
        static final Spike NONE = new Spike(0, 0);

        /** @return what it adds to {@code smooth} */
        double over(double smooth) {
            return ramp * Math.max(0, level - smooth);
        }
    }

    /** The spike at {@code t}: one may start in this slot or run on from the previous one (the higher wins). */
    private static Spike spike(Profile p, double t) {
        long slot = (long) Math.floor(t / SPIKE_SLOT);
        Spike out = Spike.NONE;
        for (long s = slot - 1; s <= slot; s++) {
            if (unit(p.key(), 20, s) >= p.spikeChance()) {
                continue;
            }
            double start = (s + unit(p.key(), 21, s)) * SPIKE_SLOT;
            double end = start + (40 + 110 * unit(p.key(), 22, s)) * 60;
            if (t >= start && t <= end) {
                double ramp = Math.min(1, Math.min(t - start, end - t) / SPIKE_RAMP);
                Spike x = new Spike(ramp, 0.80 + 0.20 * unit(p.key(), 23, s));
                out = x.ramp() * x.level() > out.ramp() * out.level() ? x : out;
            }
        }
        return out;
    }

    /** Value noise in ±{@code amplitude}: a uniform draw per knot, linear in between. */
    private static double noise(long key, long stream, double t, double knot, double amplitude) {
        double x = t / knot;
        long k = (long) Math.floor(x);
        double f = x - k;
        double a = unit(key, 100 + stream, k);
        double b = unit(key, 100 + stream, k + 1);
        return amplitude * (2 * (a + (b - a) * f) - 1);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** A uniform draw in [0, 1) from the node's key, a stream and an index. */
    private static double unit(long key, long stream, long index) {
        long h = mix(mix(key ^ stream * 0x9E3779B97F4A7C15L) + index);
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
