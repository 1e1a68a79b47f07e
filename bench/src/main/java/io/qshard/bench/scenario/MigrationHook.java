package io.qshard.bench.scenario;

import io.qshard.core.config.MigrationConfig;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.HotNodes;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import io.qshard.shard.migrate.EvictionLedger;
import io.qshard.shard.migrate.MigrationPlan;
import io.qshard.shard.migrate.MigrationPlanner;
import java.time.Instant;

/**
 * The migration loop inside a {@link TraceScenario}: after every report round, the same {@link MigrationPlanner} the
 * controller runs plans on the scenario's state and usage view, and each move is an eviction (its controller
 * re-creates the pod; the work restarts) within the same ledger limits (cooldowns, per-workload cap, rate).
 */
final class MigrationHook implements TraceScenario.StepHook {
    private final MigrationConfig config;
    private EvictionLedger ledger;

    MigrationHook(MigrationConfig config) {
        this.config = config;
    }

    @Override
    public void afterReports(TraceScenario s, Instant now) {
        if (ledger == null) {
            ledger = new EvictionLedger(config.cooldown(), config.maxPerWorkload(), config.maxEvictionsPerMinute());
        }
        var snapshot = s.state().snapshot();
        MigrationPlanner planner = new MigrationPlanner(config, s::algorithm);
        MigrationPlan plan = planner.plan(snapshot, new MigrationPlanner.Facts() {
            @Override
            public HotNodes.State state(String node) {
                return s.tracker().hotState(node);
            }

            @Override
            public UsageReport report(String node) {
                return s.tracker().report(node);
            }

            @Override
            public Usage peak(String node) {
                NodeState ns = snapshot.node(node).orElse(null);
                return ns == null ? null : s.tracker().nodePeak(node, ns);
            }

            @Override
            public boolean coolsSoon(String node, double level) {
                NodeState ns = snapshot.node(node).orElse(null);
                return ns != null && s.tracker().expectedBelow(node, ns, level, config.transientHorizon());
            }
        }, ledger, uid -> false, now);
        for (MigrationPlan.Move m : plan.moves()) {
            if (!ledger.allowNow(now)) {
                break;
            }
            ledger.evicted(m.from(), m.pod().owner().uid(), m.pod().uid(), now);
            s.evict(m.pod().uid(), now);
        }
    }
}
