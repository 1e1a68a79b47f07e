package io.qshard.core.testing;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.model.Node;
import io.qshard.core.model.NodeAffinity;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Taint;
import io.qshard.core.model.Toleration;
import io.qshard.core.snapshot.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builders for core records in tests. Sizes: cpu in milli-cores, memory in GiB unless said otherwise. */
public final class Fixtures {
    public static final long GI = 1L << 30;
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {}

    /** A node with {@code cpuMilli} cpu, {@code memGi} GiB, 110 pods, no batch resources. */
    public static NodeBuilder node(String name, long cpuMilli, long memGi) {
        return new NodeBuilder(name, cpuMilli, memGi);
    }

    /** A pending pod of a default tier, sized natively (prod/mid) or by batch resources (batch/free). */
    public static PodBuilder pod(String uid, String tier, long cpuMilli, long memGi) {
        return new PodBuilder(uid, tier, cpuMilli, memGi * GI);
    }

    public static final class NodeBuilder {
        private final String name;
        private Resources alloc;
        private Resources real;
        private final Map<String, String> labels = new HashMap<>();
        private final List<Taint> taints = new ArrayList<>();
        private boolean unschedulable;

        NodeBuilder(String name, long cpuMilli, long memGi) {
            this.name = name;
            this.alloc = new Resources(cpuMilli, memGi * GI, 110, 0, 0);
        }

        public NodeBuilder batch(long cpuMilli, long memGi) {
            alloc = new Resources(alloc.milliCpu(), alloc.memoryBytes(), alloc.pods(), cpuMilli, memGi * GI);
            return this;
        }

        public NodeBuilder pods(long n) {
            alloc = alloc.withPods(n);
            return this;
        }

        /** Reported allocatable is scaled up by {@code ratio} (oversale webhook); real stays. */
        public NodeBuilder oversold(double ratio) {
            real = alloc;
            alloc = new Resources(
                    (long) (alloc.milliCpu() * ratio),
                    (long) (alloc.memoryBytes() * ratio),
                    alloc.pods(),
                    alloc.batchMilliCpu(),
                    alloc.batchMemoryBytes());
            return this;
        }

        public NodeBuilder label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        public NodeBuilder taint(String k, String v, Taint.Effect e) {
            taints.add(new Taint(k, v, e));
            return this;
        }

        public NodeBuilder unschedulable() {
            unschedulable = true;
            return this;
        }

        public Node build() {
            return new Node(name, labels, taints, alloc, real == null ? alloc : real, unschedulable);
        }

        public NodeState state() {
            return NodeState.of(build());
        }
    }

    public static final class PodBuilder {
        private final String uid;
        private final String tier;
        private final long cpu;
        private final long mem;
        private final Map<String, String> selector = new HashMap<>();
        private final List<Toleration> tolerations = new ArrayList<>();
        private NodeAffinity affinity = NodeAffinity.NONE;
        private int priority;
        private Instant created = T0;
        private boolean foreign;
        private io.qshard.core.model.OwnerRef owner;

        PodBuilder(String uid, String tier, long cpu, long mem) {
            this.uid = uid;
            this.tier = tier;
            this.cpu = cpu;
            this.mem = mem;
            this.priority = DefaultTiers.named(tier).priority();
        }

        public PodBuilder selector(String k, String v) {
            selector.put(k, v);
            return this;
        }

        public PodBuilder tolerate(Toleration t) {
            tolerations.add(t);
            return this;
        }

        public PodBuilder affinity(NodeAffinity a) {
            affinity = a;
            return this;
        }

        public PodBuilder priority(int p) {
            priority = p;
            return this;
        }

        public PodBuilder created(Instant t) {
            created = t;
            return this;
        }

        /** Owned by the controller {@code kind/name} (uid {@code name}). */
        public PodBuilder owner(String kind, String name) {
            owner = new io.qshard.core.model.OwnerRef(kind, name, name);
            return this;
        }

        /** Scheduled by someone else (counts as prod). */
        public PodBuilder foreign() {
            foreign = true;
            return this;
        }

        public PodRequest build() {
            PoolRule rule =
                    foreign ? PoolRule.ALLOCATABLE : DefaultTiers.named(tier).poolRule();
            Resources req = rule.requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED
                    ? new Resources(0, 0, 1, cpu, mem)
                    : new Resources(cpu, mem, 1, 0, 0);
            return new PodRequest(
                    uid,
                    "ns",
                    uid,
                    foreign ? null : tier,
                    rule,
                    req,
                    selector,
                    affinity,
                    tolerations,
                    priority,
                    created,
                    owner,
                    null);
        }
    }
}
