package io.qshard.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.kube.convert.PodConverter;
import io.qshard.kube.informer.ClusterInformers;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** A running simulator: its informers (nodes, pods) feeding a {@link Simulator}. Closing stops both. */
public final class SimulatorProcess implements AutoCloseable {
    private final KubernetesClient client;
    private final ClusterInformers informers;
    private final Simulator simulator;

    private SimulatorProcess(KubernetesClient client, ClusterInformers informers, Simulator simulator) {
        this.client = client;
        this.informers = informers;
        this.simulator = simulator;
    }

    /**
     * Syncs the informers and starts the reports.
     *
     * @param client      the API (owned by the process from now on)
     * @param config      tiers and pools
     * @param settings    which nodes, their load, the pods' usage model, interval, writers, isolation
     * @param syncTimeout how long to wait for the informers
     * @param clock       time source
     */
    public static SimulatorProcess start(
            KubernetesClient client,
            QshardConfig config,
            SimulationSettings settings,
            Duration syncTimeout,
            Clock clock) {
        Map<String, String> nodeLabels = settings.nodeLabels();
        Predicate<Node> selects = n -> nodeLabels.entrySet().stream()
                .allMatch(e -> e.getValue().equals(n.labels().get(e.getKey())));
        String reporter = "simulate/" + (System.getenv("HOSTNAME") == null ? "local" : System.getenv("HOSTNAME"));
        Simulator simulator = new Simulator(
                client,
                config,
                selects,
                settings.load(),
                settings.utilisation(),
                settings.interval(),
                reporter,
                settings.writers(),
                settings.isolation(),
                clock);
        ClusterInformers informers = new ClusterInformers(client, new PodConverter(config));
        informers.addListener(simulator);
        try {
            informers.start(syncTimeout);
        } catch (RuntimeException e) {
            informers.close();
            simulator.close();
            client.close();
            throw e;
        }
        simulator.start();
        return new SimulatorProcess(client, informers, simulator);
    }

    /** @return the simulator (its counters are thread-safe) */
    public Simulator simulator() {
        return simulator;
    }

    @Override
    public void close() {
        simulator.close();
        informers.close();
        client.close();
    }
}
