package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.api.Crds;
import io.qshard.kube.api.ShardMap;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerITSupport;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.shard.scheduler.TierScheduler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the shard commands and maps, on the real apiserver: every case is a clear error that changes nothing.
 */
@RealControlPlane
class ShardCommandIT {
    private static int run(LocalControlPlane cp, StringWriter err, String... args) {
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--kubeconfig=" + cp.kubeconfig();
        return cl.execute(all);
    }

    @Test
    void unknownTiersAndShardCountsAreRefused(LocalControlPlane cp) {
        StringWriter err = new StringWriter();
        assertThat(run(cp, err, "shard", "rebalance", "--tier", "nope", "--yes"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown tier 'nope' (configured: prod, mid, batch, free)");
        err.getBuffer().setLength(0);
        assertThat(run(cp, err, "shard", "rebalance", "--tier", "batch", "--shards", "0", "--yes"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--shards must be in 1..64, was 0");
    }

    @Test
    void aHandEditedMapWithANodeInTwoShardsIsRefusedAndChangesNothing(KubernetesClient admin, LocalControlPlane cp) {
        Crds.install(admin, Path.of("..").resolve(ShardMap.MANIFEST), Duration.ofSeconds(30));
        admin.resources(ShardMap.class).withName("batch").delete();
        admin.nodes().delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.nodes().list().getItems().isEmpty());
        Bulk.create(admin, SchedulerITSupport.nodes("sc", 4, "8", "32Gi"), 4);
        QshardConfig cfg = QshardConfig.defaults().withShards("batch", 2);
        SchedulerProcess instance = SchedulerProcess.startInstances(
                io.qshard.kube.client.ApiClients.create(
                        io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                cp.kubeconfig().toFile()),
                        "qshard-it-shardcmd"),
                cfg,
                ShippedPlugins.registry(),
                List.of(new SchedulerProcess.Instance(cfg.tier("batch"), 0)),
                SchedulerSettings.defaults(),
                Duration.ofSeconds(60),
                Clock.systemUTC());
        try {
            TierScheduler shard0 = instance.schedulers().get(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> shard0.activeNodes() == 2); // created: 2 of 4 nodes each

            // a node in two shards (the schema cannot say so; the instances and the commands refuse it)
            ShardMap map = admin.resources(ShardMap.class).withName("batch").get();
            String stolen = map.getSpec().getAssignment().get("1").get(0);
            map.getSpec().getAssignment().get("0").add(stolen);
            map.setStatus(null);
            String rv = admin.resources(ShardMap.class)
                    .resource(map)
                    .update()
                    .getMetadata()
                    .getResourceVersion();
            StringWriter err = new StringWriter();
            assertThat(run(cp, err, "shard", "rebalance", "--tier", "batch", "--shards", "2", "--yes"))
                    .isEqualTo(2);
            assertThat(err.toString())
                    .contains("node " + stolen + " is in shards 0 and 1")
                    .contains("nothing changed");
            assertThat(admin.resources(ShardMap.class)
                            .withName("batch")
                            .get()
                            .getMetadata()
                            .getResourceVersion())
                    .as("the command wrote nothing")
                    .isEqualTo(rv);
            err.getBuffer().setLength(0);
            assertThat(run(cp, err, "shard", "status", "--tier", "batch")).isEqualTo(2);
            assertThat(err.toString()).contains("is in shards 0 and 1");
            // the running instance keeps the last valid map: still 2 nodes, not the 3 the bad map would give it
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> shard0.activeNodes() == 2);

            // a missing epoch: the CRD schema rejects the edit outright
            ShardMap noEpoch = admin.resources(ShardMap.class).withName("batch").get();
            noEpoch.getSpec().setEpoch(null);
            noEpoch.setStatus(null);
            assertThatThrownBy(() ->
                            admin.resources(ShardMap.class).resource(noEpoch).update())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("epoch");
        } finally {
            instance.stop(Duration.ofSeconds(5));
            admin.resources(ShardMap.class).withName("batch").delete();
        }
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
