package io.qshard.kube.client;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * fabric8's Vert.x HTTP client with TLS done by BoringSSL (netty-tcnative) instead of the JDK's JSSE, for
 * both requests and watches. On the machines qshard targets the scheduler shares CPUs with the apiserver,
 * and JSSE's AES-GCM costs the scheduler about as much CPU per binding as the apiserver spends serving it;
 * native TLS (AES-NI, as Go's TLS uses) removes most of that. Falls back to JSSE when the native library
 * cannot load (other OS/arch). Trust and client certificates still come from the kubeconfig.
 */
public final class NativeTlsHttpClientFactory extends Vertx5HttpClientFactory {
    /**
     * One Vert.x instance with one event loop for every client of the process: on a 2-core node that shares
     * its CPUs with the apiserver, more I/O threads only add context switches. Daemon threads.
     */
    private static final Vertx SHARED = Vertx.vertx(new VertxOptions()
            .setEventLoopPoolSize(1)
            .setUseDaemonThread(true)
            .setFileSystemOptions(
                    new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));

    public NativeTlsHttpClientFactory() {
        super(SHARED);
    }

    /** Whether BoringSSL loaded on this machine. */
    public static boolean available() {
        return OpenSSLEngineOptions.isAvailable();
    }

    @Override
    protected void additionalConfig(
            WebClientOptions options, WebSocketClientOptions webSocketOptions, PoolOptions poolOptions) {
        if (available()) { // engine options only matter for https/wss connections
            options.setSslEngineOptions(new OpenSSLEngineOptions());
            webSocketOptions.setSslEngineOptions(new OpenSSLEngineOptions());
        }
    }
}
