package io.qshard.bench.scenario;

import io.qshard.controllers.migrate.EvictionLedger;
import io.qshard.controllers.migrate.MigrationPlan;
import io.qshard.controllers.migrate.MigrationPlanner;
import io.qshard.controllers.migrate.TrackerFacts;
import io.qshard.core.config.MigrationConfig;
import java.time.Instant;

/**
 * The migration loop inside a {@link TraceScenario}: after every report round, the same {@link MigrationPlanner} the
 * controller runs plans on the scenario's state and usage view, and each move is an eviction (its controller
 * re-creates the pod; the work restarts) within the same ledger limits (cooldowns, per-workload cap, rate).
 */
final class MigrationHook implements TraceScenario.StepHook {
    private final MigrationConfig config;
    private EvictionLedger ledger;
    private MigrationPlanner planner;

    MigrationHook(MigrationConfig config) {
        this.config = config;
    }

    @Override
    public void afterReports(TraceScenario s, Instant now) {
        if (ledger == null) {
            ledger = new EvictionLedger(config.cooldown(), config.maxPerWorkload(), config.maxEvictionsPerMinute());
            planner = new MigrationPlanner(config, s::algorithm);
        }
        var snapshot = s.state().snapshot();
        MigrationPlan plan = planner.plan(
                snapshot,
                new TrackerFacts(s.tracker(), snapshot, config.transientHorizon()),
                ledger,
                uid -> false,
                now);
        for (MigrationPlan.Move m : plan.moves()) {
            if (!ledger.allowNow(now)) {
                break;
            }
            ledger.evicted(m.from(), m.pod().owner().uid(), m.pod().uid(), now);
            s.evict(m.pod().uid(), now);
        }
    }
}
