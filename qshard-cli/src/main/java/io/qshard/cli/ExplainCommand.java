package io.qshard.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.view.ClusterView;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.shard.PodOwnership;
import io.qshard.core.shard.ShardMapView;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.convert.ConversionException;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.informer.ClusterInformers;
import io.qshard.kube.process.UserError;
import io.qshard.shard.explain.ExplanationPrinter;
import io.qshard.shard.explain.PodExplainer;
import io.qshard.shard.shardmap.ShardMaps;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qshard explain}: why a pod is pending, or why it went where it did — recomputed on the current snapshot. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Recompute the pod's tier's decision now, over every node of the shard that owns it, with the same "
                    + "informers, usage view and plugins as its scheduler: for a pending pod the filter reasons per node "
                    + "(aggregated as in its FailedScheduling event) and the top nodes with each plugin's score and the pool "
                    + "numbers behind them; for a bound pod, where its node ranks now.",
            "The scheduler decided on its own snapshot at that time (and may score a sample of the nodes); this is "
                    + "today's answer, labelled as such."
        })
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            defaultValue = "default",
            description = "The pod's namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--pod", paramLabel = "NAME", required = true, description = "The pod.")
    String pod;

    @Option(
            names = "--top",
            paramLabel = "K",
            defaultValue = "5",
            description = "Nodes to show with their scores (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(
            names = "--failing",
            paramLabel = "K",
            defaultValue = "10",
            description = "Failing nodes to list one by one (default: ${DEFAULT-VALUE}).")
    int failing;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml, as the schedulers run it. Default: built in.")
    Path config;

    @Mixin
    KubeconfigOption cluster;

    @Override
    public Integer call() throws Exception {
        if (top < 1 || failing < 0) {
            throw new UserError("--top must be at least 1 and --failing at least 0");
        }
        QshardConfig cfg = RunCommand.loadConfig(config);
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = ApiserverConnection.open(cluster.resolve(), "qshard-explain")) {
            Pod api = client.pods().inNamespace(namespace).withName(pod).get();
            if (api == null) {
                throw new UserError("pod " + namespace + "/" + pod + " not found");
            }
            String schedulerName = api.getSpec().getSchedulerName();
            Tier tier = cfg.tierForSchedulerName(schedulerName)
                    .orElseThrow(() -> new UserError("pod " + namespace + "/" + pod
                            + " has schedulerName '" + schedulerName + "', which is no qshard tier (configured: "
                            + cfg.tiers().stream().map(Tier::schedulerName).toList() + ")"));
            PodRequest request = convert(client, api, cfg);
            Optional<Set<String>> shard = shardNodes(client, tier, request, cfg, out);
            Clock clock = Clock.systemUTC();
            try (ClusterView view = new ClusterView(cfg, clock, "explain", true);
                    ClusterInformers informers = new ClusterInformers(client, new PodConverter(cfg))) {
                informers.addListener(view);
                informers.start(Duration.ofSeconds(60));
                PodExplainer explainer = new PodExplainer(cfg, ShippedPlugins.registry(), clock);
                PodExplainer.Result r = view.read(s ->
                                explainer.explain(tier, request, s.cluster().snapshot(), shard))
                        .get(60, TimeUnit.SECONDS);
                out.printf(
                        "pod %s/%s: tier %s (%s), requests %s — %s%n",
                        namespace,
                        pod,
                        tier.name(),
                        schedulerName,
                        request.requests(),
                        request.nodeName() == null ? "pending" : "bound to " + request.nodeName());
                out.printf(
                        "recomputed on the current snapshot at %s (not the scheduler's own, which it decided on earlier)%n",
                        Instant.now(clock));
                ExplanationPrinter.print(r, request.nodeName(), top, failing, out);
            }
        }
        return 0;
    }

    private static PodRequest convert(KubernetesClient client, Pod api, QshardConfig cfg) {
        try {
            return new PodConverter(cfg).convert(api, client.getKubernetesSerialization());
        } catch (ConversionException e) {
            throw new UserError("cannot read the pod: " + e.getMessage());
        }
    }

    /** The nodes of the shard that owns the pod now, for a sharded tier with a valid map; empty otherwise. */
    private static Optional<Set<String>> shardNodes(
            KubernetesClient client, Tier tier, PodRequest pod, QshardConfig cfg, PrintWriter out) {
        if (tier.shards() <= 1 || !client.supports(ShardMap.class)) {
            return Optional.empty();
        }
        ShardMap map = client.resources(ShardMap.class).withName(tier.name()).get();
        if (map == null) {
            out.printf("tier %s is sharded but has no shard map yet: explaining over every node%n", tier.name());
            return Optional.empty();
        }
        ShardMapView v;
        try {
            v = ShardMaps.convert(map);
        } catch (ConversionException e) {
            throw new UserError("the shard map of tier " + tier.name() + " is invalid: " + e.getMessage());
        }
        int owner = pod.nodeName() != null
                ? v.shardOf(pod.nodeName())
                : PodOwnership.owner(
                        pod.uid(), pod.creationTime(), Instant.now(), v.ownershipShards(), cfg.shardRotation());
        if (owner < 0) {
            return Optional.empty();
        }
        out.printf(
                "tier %s: %d shards (epoch %d); shard %d %s%n",
                tier.name(),
                v.shards(),
                v.epoch(),
                owner,
                pod.nodeName() != null
                        ? "holds its node"
                        : "owns it now (it moves to the next every "
                                + cfg.shardRotation().toSeconds() + " s)");
        return Optional.of(v.activeNodes(owner));
    }
}
