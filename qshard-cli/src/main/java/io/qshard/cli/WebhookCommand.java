package io.qshard.cli;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.health.ExitOnFatalOption;
import io.qshard.kube.health.FatalExit;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.kube.process.StopSignals;
import io.qshard.kube.process.UserError;
import io.qshard.oversale.AdmissionHandler;
import io.qshard.oversale.WebhookMetrics;
import io.qshard.oversale.WebhookServer;
import io.qshard.oversale.WebhookTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qshard webhook}: the oversale mutating admission webhook, until SIGTERM. */
@Command(
        name = "webhook",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serve the oversale mutating admission webhook: for nodes/status UPDATE and node CREATE of nodes "
                    + "labelled qshard.io/oversale=true, scale status.allocatable cpu and memory by the ratios in the "
                    + "qshard.io/cpu-oversale-ratio / qshard.io/memory-oversale-ratio annotations (capacity untouched; "
                    + "never above capacity × the maximum ratio; bad ratios ignored with a warning).",
            "Register it with manifests/oversale/ (failurePolicy Ignore). SIGTERM stops it (exit 0); an event loop that "
                    + "dies stops it with exit 70 (see --exit-on-fatal)."
        })
public final class WebhookCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookCommand.class);

    @ArgGroup(exclusive = true, multiplicity = "1")
    Tls tls;

    static final class Tls {
        @ArgGroup(exclusive = false)
        Files files;

        @Option(
                names = "--tls-secret",
                paramLabel = "NAMESPACE/NAME",
                description = "Read tls.crt and tls.key from this Secret at startup (needs get on it).")
        String secret;
    }

    static final class Files {
        @Option(
                names = "--tls-cert",
                paramLabel = "FILE",
                required = true,
                description =
                        "Serving certificate chain, PEM (its SANs must name the Service or address the apiserver calls).")
        Path cert;

        @Option(
                names = "--tls-key",
                paramLabel = "FILE",
                required = true,
                description = "Its private key, PEM (PKCS#1 or PKCS#8).")
        Path key;
    }

    @Option(
            names = "--bind",
            paramLabel = "HOST",
            defaultValue = "0.0.0.0",
            description = "Address to serve on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "9443",
            description = "HTTPS port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--max-cpu-ratio",
            paramLabel = "X",
            defaultValue = "2.0",
            description = "Largest cpu ratio honoured, in [1, 3] (default: ${DEFAULT-VALUE}).")
    double maxCpu;

    @Option(
            names = "--max-memory-ratio",
            paramLabel = "X",
            defaultValue = "1.5",
            description = "Largest memory ratio honoured, in [1, 3] (default: ${DEFAULT-VALUE}).")
    double maxMemory;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "1",
            description = "Event loops, one per core the webhook may use (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9404",
            description =
                    "Plain-HTTP port of /metrics, /healthz (the event loop's heartbeat) and /readyz; 0: any free port, "
                            + "named in the log (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Mixin
    ExitOnFatalOption fatal;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "For --tls-secret; default as kubectl.")
    Path kubeconfig;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535 || threads < 1 || threads > 256 || metricsPort < 0 || metricsPort > 65535) {
            throw new UserError("--port must be in 1..65535, --metrics-port in 0..65535 and --threads in 1..256");
        }
        Path cert;
        Path key;
        if (tls.secret != null) {
            Path[] fromSecret = fromSecret(tls.secret);
            cert = fromSecret[0];
            key = fromSecret[1];
        } else {
            cert = tls.files.cert;
            key = tls.files.key;
        }
        PrometheusMetrics exported = new PrometheusMetrics();
        WebhookMetrics metrics = new WebhookMetrics(exported);
        WebhookServer server;
        try {
            server = new WebhookServer(
                    new InetSocketAddress(bind, port),
                    new WebhookTls(cert, key),
                    new AdmissionHandler(maxCpu, maxMemory, metrics),
                    exported,
                    metricsPort,
                    threads);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new UserError("cannot serve on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        java.util.Optional<String> died = StopSignals.await(fatal.watched(server.health()));
        if (died.isPresent()) {
            return FatalExit.stop("qshard webhook", died.get(), java.time.Duration.ofSeconds(15), server::close);
        }
        LOG.info(
                "stopping: {} reviews answered, {} patched, {} ratios refused",
                metrics.reviews.sum(),
                metrics.patched.sum(),
                metrics.refusedRatios.sum());
        server.close();
        return 0;
    }

    /** Writes the Secret's tls.crt / tls.key to a private temporary directory. */
    private Path[] fromSecret(String ref) throws IOException {
        int slash = ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1) {
            throw new UserError("--tls-secret must be NAMESPACE/NAME, was '" + ref + "'");
        }
        KubeconfigResolver.Resolved resolved = KubeconfigResolver.resolve(kubeconfig);
        try (KubernetesClient client = ApiserverConnection.open(resolved, "qshard-webhook")) {
            Secret s = client.secrets()
                    .inNamespace(ref.substring(0, slash))
                    .withName(ref.substring(slash + 1))
                    .get();
            if (s == null
                    || s.getData() == null
                    || !s.getData().containsKey("tls.crt")
                    || !s.getData().containsKey("tls.key")) {
                throw new UserError("Secret " + ref + " not found or without tls.crt and tls.key");
            }
            Path dir = java.nio.file.Files.createTempDirectory("qshard-webhook-tls");
            Path cert = java.nio.file.Files.write(
                    dir.resolve("tls.crt"),
                    Base64.getDecoder().decode(s.getData().get("tls.crt")));
            Path key = java.nio.file.Files.write(
                    dir.resolve("tls.key"),
                    Base64.getDecoder().decode(s.getData().get("tls.key")));
            key.toFile().setReadable(false, false);
            key.toFile().setReadable(true, true);
            return new Path[] {cert, key};
        }
    }
}
