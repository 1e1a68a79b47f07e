package io.qshard.cli.parity;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.metrics.Metrics;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** qshard's prod tier with its shipped defaults, in process, as the differential ITs run it beside kube-scheduler. */
public final class QshardProd {
    private QshardProd() {}

    /** Starts it as {@code qshard run --tier prod} would against {@code cp}; the caller stops it. */
    public static SchedulerProcess start(LocalControlPlane cp) {
        QshardConfig cfg = QshardConfig.defaults();
        return SchedulerProcess.start(
                cp.kubeconfig(),
                cfg,
                ShippedPlugins.registry(),
                List.of(new SchedulerProcess.Instance(cfg.tier(DefaultTiers.PROD), 0)),
                SchedulerSettings.defaults(),
                Duration.ofSeconds(60),
                Clock.systemUTC(),
                Metrics.NOOP);
    }
}
