package io.qshard.core.model;

/**
 * Which capacity a tier draws on, and so how its pods ask for resources so a kubelet admits them
 * (docs/architecture.md, "Tiers and how each sizes its pods").
 */
public enum PoolRule {
    /** Node allocatable by requests, never overcommitted; pods are Guaranteed (native requests = limits). */
    ALLOCATABLE(RequestStyle.NATIVE_GUARANTEED),
    /** The mid pool, also capped by reported allocatable − Σ native requests; pods are Burstable. */
    MID_POOL(RequestStyle.NATIVE_BURSTABLE),
    /** The batch pool; pods are BestEffort sized by the batch extended resources. */
    BATCH_POOL(RequestStyle.BATCH_EXTENDED),
    /** What the batch pool leaves; same extended resources as batch, lower priority. */
    FREE_POOL(RequestStyle.BATCH_EXTENDED);

    private final RequestStyle requestStyle;

    PoolRule(RequestStyle requestStyle) {
        this.requestStyle = requestStyle;
    }

    /** How pods of a tier with this rule express their size. */
    public RequestStyle requestStyle() {
        return requestStyle;
    }

    /** How a pod of a tier expresses its size in its spec. */
    public enum RequestStyle {
        /** Native cpu/memory requests equal to limits (QoS Guaranteed). */
        NATIVE_GUARANTEED,
        /** Native cpu/memory requests, limits optional (QoS Burstable). */
        NATIVE_BURSTABLE,
        /** No native requests; {@code qshard.io/batch-cpu} / {@code qshard.io/batch-memory} requests = limits. */
        BATCH_EXTENDED
    }
}
