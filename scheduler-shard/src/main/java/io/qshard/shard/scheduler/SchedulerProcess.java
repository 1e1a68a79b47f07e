package io.qshard.shard.scheduler;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.model.Tier;
import io.qshard.shard.kube.ApiserverConnection;
import io.qshard.shard.kube.ClusterInformers;
import io.qshard.shard.kube.KubeconfigResolver;
import io.qshard.shard.kube.NativeTlsHttpClientFactory;
import io.qshard.shard.kube.PodConverter;

/**
 * The schedulers of one process: one API client, one pair of informers, one {@link TierScheduler} per tier.
 * Started with {@link #start} (which fails fast if the apiserver is unreachable or the informers do not
 * sync), stopped with {@link #stop}. Thread-safe for start/stop from one controlling thread.
 */
public final class SchedulerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerProcess.class);

    private final KubernetesClient client;
    private final ClusterInformers informers;
    private final List<TierScheduler> schedulers;

    private SchedulerProcess(KubernetesClient client, ClusterInformers informers, List<TierScheduler> schedulers) {
        this.client = client;
        this.informers = informers;
        this.schedulers = schedulers;
    }

    /** Connects (resolving the kubeconfig like kubectl), syncs the informers and starts one scheduler per tier. */
    public static SchedulerProcess start(Path kubeconfig, QshardConfig config, PluginRegistry registry, List<Tier> tiers,
                                         SchedulerSettings settings, Duration syncTimeout, Clock clock) {
        KubeconfigResolver.Resolved resolved = KubeconfigResolver.resolve(kubeconfig);
        String agent = "qshard-scheduler/" + (tiers.size() == 1 ? tiers.get(0).name() : "all-tiers");
        ApiserverConnection.open(resolved, agent).close(); // fail fast, one clear line
        return start(clientFor(resolved.config(), agent), config, registry, tiers, settings, syncTimeout, clock);
    }

    /** Starts on an existing client (tests); the process owns and closes it. */
    public static SchedulerProcess start(KubernetesClient client, QshardConfig config, PluginRegistry registry, List<Tier> tiers,
                                         SchedulerSettings settings, Duration syncTimeout, Clock clock) {
        ClusterInformers informers = new ClusterInformers(client, new PodConverter(config));
        List<TierScheduler> schedulers = new ArrayList<>();
        PlacementLedger ledger = new PlacementLedger();
        for (Tier t : tiers) {
            TierScheduler s = new TierScheduler(t, config, registry, client, settings, clock);
            s.joinLedger(ledger);
            informers.addListener(s);
            schedulers.add(s);
        }
        try {
            informers.start(syncTimeout);
        } catch (RuntimeException e) {
            informers.close();
            client.close();
            throw e;
        }
        schedulers.forEach(TierScheduler::start);
        LOG.info("scheduling tiers {} (TLS: {})", tiers.stream().map(Tier::name).toList(),
                NativeTlsHttpClientFactory.available() ? "BoringSSL via netty-tcnative" : "JDK JSSE");
        return new SchedulerProcess(client, informers, schedulers);
    }

    /** A client with request timeouts and no client-side retries of writes (the scheduler retries itself). */
    public static KubernetesClient clientFor(Config base, String userAgent) {
        Config c = new ConfigBuilder(base).withUserAgent(userAgent).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(10_000).withRequestTimeout(30_000).build();
        return new KubernetesClientBuilder().withConfig(c).withHttpClientFactory(new NativeTlsHttpClientFactory()).build();
    }

    public List<TierScheduler> schedulers() {
        return List.copyOf(schedulers);
    }

    public ClusterInformers informers() {
        return informers;
    }

    /** Graceful: stop deciding, wait for in-flight bindings up to {@code grace}, close informers and client. */
    public void stop(Duration grace) {
        schedulers.forEach(s -> s.stop(grace));
        informers.close();
        client.close();
    }

    /** Abrupt (tests): stop the decision loops and drop the connection without waiting. */
    public void kill() {
        schedulers.forEach(TierScheduler::kill);
        informers.close();
        client.close();
    }
}
