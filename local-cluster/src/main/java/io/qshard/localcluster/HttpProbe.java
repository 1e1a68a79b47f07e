package io.qshard.localcluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Minimal HTTP(S) client for health checks and small admin calls against etcd and kube-apiserver, trusting
 * only the run's CA. Thread-safe.
 */
final class HttpProbe {
    private final HttpClient client;
    private final String bearerToken;

    private HttpProbe(HttpClient client, String bearerToken) {
        this.client = client;
        this.bearerToken = bearerToken;
    }

    static HttpProbe plain() {
        return new HttpProbe(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), null);
    }

    static HttpProbe tls(String caPem, String bearerToken) {
        return new HttpProbe(
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .sslContext(trusting(caPem))
                        .build(),
                bearerToken);
    }

    /** GET; empty when the server cannot be reached; otherwise status and body. */
    Optional<HttpResponse<String>> get(String url) {
        return send(request(url).GET().build());
    }

    /** POST a JSON body; empty when the server cannot be reached. */
    Optional<HttpResponse<String>> postJson(String url, String json) {
        return send(request(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        return b;
    }

    private Optional<HttpResponse<String>> send(HttpRequest request) {
        try {
            return Optional.of(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while probing " + request.uri(), e);
        }
    }

    static SSLContext trusting(String caPem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry(
                    "ca",
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an SSL context for the run's CA", e);
        }
    }
}
