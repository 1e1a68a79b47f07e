package io.qshard.bench.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.client.ApiserverConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Diagnostic: a Go CPU profile of the kube-apiserver ({@code /debug/pprof/profile}; the bench starts it with
 * {@code --profiling=true}) over a few seconds of a contender's binding window, written as {@code .pb.gz} for
 * {@code go tool pprof -top FILE}. Shows where the apiserver's CPU goes per contender (bindings, watch serving,
 * garbage collection). Thread-safe.
 */
final class ApiserverProfile {
    /** Seconds profiled: fits inside every contender's window at 5,000 pods. */
    static final int SECONDS = 3;

    private ApiserverProfile() {}

    /**
     * Starts a profile now, without waiting for it.
     *
     * @return completes once the profile is written to {@code dir/<contender>-<round>.pb.gz}
     */
    static CompletableFuture<Path> start(KubernetesClient admin, Path dir, String contender, int round) {
        Path file = dir.resolve(
                contender.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "") + "-" + round
                        + ".pb.gz");
        var http = admin.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(URI.create(ApiserverConnection.baseUrl(admin) + "/debug/pprof/profile?seconds=" + SECONDS))
                .build();
        return http.sendAsync(request, byte[].class).thenApply(response -> {
            if (response.code() != 200) {
                throw new IllegalStateException("apiserver profile: HTTP " + response.code());
            }
            try {
                Files.createDirectories(dir);
                return Files.write(file, response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
