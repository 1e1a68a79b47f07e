package io.qshard.kube.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.qshard.kube.process.UserError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Opens a client and proves the apiserver answers {@code /version} before anything else runs, failing fast
 * (≤ 10 s: 5 s connect + 5 s request, no retries) with one line that says what is wrong and how to fix it.
 */
public final class ApiserverConnection {
    /** Connect and request timeout of the reachability probe, milliseconds. */
    public static final int PROBE_TIMEOUT_MS = 5_000;

    private ApiserverConnection() {}

    /**
     * Builds a client for {@code resolved} with the given user agent and checks {@code /version}.
     *
     * @throws UserError if the apiserver cannot be reached or refuses the credentials
     */
    public static KubernetesClient open(KubeconfigResolver.Resolved resolved, String userAgent) {
        Config probeConfig = new ConfigBuilder(resolved.config())
                .withConnectionTimeout(PROBE_TIMEOUT_MS)
                .withRequestTimeout(PROBE_TIMEOUT_MS)
                .withRequestRetryBackoffLimit(0)
                .withUserAgent(userAgent)
                .build();
        try (KubernetesClient probe =
                new KubernetesClientBuilder().withConfig(probeConfig).build()) {
            HttpRequest request = probe.getHttpClient()
                    .newHttpRequestBuilder()
                    .uri(URI.create(probe.getMasterUrl().toString()).resolve("/version"))
                    .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .build();
            HttpResponse<String> response = probe.getHttpClient()
                    .sendAsync(request, String.class)
                    .get(2L * PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (response.code() == 401 || response.code() == 403) {
                throw new UserError(where(resolved) + " rejected the credentials (HTTP " + response.code()
                        + "); check the kubeconfig's user");
            }
            if (response.code() != 200
                    || response.body() == null
                    || !response.body().contains("gitVersion")) {
                throw new UserError(where(resolved) + " answered /version with HTTP " + response.code()
                        + ", not like a kube-apiserver; check the kubeconfig's server address");
            }
        } catch (ExecutionException e) {
            throw new UserError(describe(e.getCause(), resolved), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new UserError(
                    "cannot reach " + where(resolved) + ": no answer within " + 2 * PROBE_TIMEOUT_MS / 1000
                            + " s; check the server address and the network path to it",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while connecting to " + where(resolved), e);
        } catch (KubernetesClientException e) {
            throw new UserError(describe(e, resolved), e);
        }
        Config config =
                new ConfigBuilder(resolved.config()).withUserAgent(userAgent).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The apiserver's URL without a trailing slash, for the raw requests that append an API path to it. */
    public static String baseUrl(KubernetesClient client) {
        return baseUrl(client.getMasterUrl().toString());
    }

    /** {@code masterUrl} without a trailing slash. */
    public static String baseUrl(String masterUrl) {
        return masterUrl.endsWith("/") ? masterUrl.substring(0, masterUrl.length() - 1) : masterUrl;
    }

    private static String where(KubeconfigResolver.Resolved resolved) {
        return "the apiserver at " + resolved.config().getMasterUrl() + " (" + resolved.source() + ")";
    }

    static String describe(Throwable e, KubeconfigResolver.Resolved resolved) {
        String where = where(resolved);
        for (Throwable root = e; root != null; root = root.getCause() == root ? null : root.getCause()) {
            if (root instanceof SocketTimeoutException
                    || root instanceof TimeoutException
                    || root.getClass().getSimpleName().contains("Timeout")) {
                return "cannot reach " + where + ": no answer within " + PROBE_TIMEOUT_MS / 1000
                        + " s; check the server address and the network path to it";
            }
            if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
                return "cannot reach " + where + ": " + KubeconfigResolver.oneLine(root)
                        + "; check that it is running and that the kubeconfig's server address is right";
            }
            if (root instanceof UnknownHostException) {
                return "cannot reach " + where + ": unknown host " + root.getMessage()
                        + "; check the kubeconfig's server address";
            }
            if (root instanceof SSLException) {
                return "TLS with " + where + " failed: " + KubeconfigResolver.oneLine(root)
                        + "; check the kubeconfig's certificate-authority data";
            }
        }
        return "cannot reach " + where + ": " + KubeconfigResolver.oneLine(e);
    }
}
