package io.qshard.kube.client;

import io.fabric8.kubernetes.client.Config;
import io.qshard.kube.process.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Finds the cluster to talk to the way kubectl does: {@code --kubeconfig}, then {@code KUBECONFIG}
 * (a {@code :}-separated list; missing entries are skipped), then {@code ~/.kube/config}, then the
 * in-cluster service account. Stateless and thread-safe.
 */
public final class KubeconfigResolver {
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private KubeconfigResolver() {}

    /**
     * A client configuration and where it came from (for messages).
     *
     * @param config fabric8 configuration, current context applied
     * @param source e.g. {@code --kubeconfig /x}, {@code KUBECONFIG}, {@code ~/.kube/config}, {@code in-cluster}
     */
    public record Resolved(Config config, String source) {}

    /** Resolves from the flag (may be null) and this process's environment. */
    public static Resolved resolve(Path flag) {
        return resolve(flag, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Resolved resolve(Path flag, Map<String, String> env, Path home) {
        if (flag != null) {
            if (!Files.isRegularFile(flag)) {
                throw new UserError("kubeconfig " + flag + " not found (from --kubeconfig); pass an existing file, "
                        + "or omit --kubeconfig to use KUBECONFIG / ~/.kube/config");
            }
            return new Resolved(load(flag, "--kubeconfig " + flag), "--kubeconfig " + flag);
        }
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            Path first = Arrays.stream(list.split(":"))
                    .filter(s -> !s.isBlank())
                    .map(Path::of)
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .orElseThrow(() -> new UserError("none of the files in KUBECONFIG exists (" + list
                            + "); fix KUBECONFIG or pass --kubeconfig"));
            return new Resolved(load(first, "KUBECONFIG"), "KUBECONFIG " + first);
        }
        Path dflt = home.resolve(".kube").resolve("config");
        if (Files.isRegularFile(dflt)) {
            return new Resolved(load(dflt, dflt.toString()), dflt.toString());
        }
        if (env.containsKey("KUBERNETES_SERVICE_HOST") && Files.isReadable(SERVICE_ACCOUNT_TOKEN)) {
            Config inCluster = Config.autoConfigure(null);
            return new Resolved(inCluster, "in-cluster service account");
        }
        throw new UserError("no cluster configured: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, "
                + "or run inside a pod with a service account");
    }

    private static Config load(Path file, String source) {
        try {
            return Config.fromKubeconfig(file.toFile());
        } catch (RuntimeException e) {
            throw new UserError("cannot read kubeconfig " + file + " (" + source + "): " + oneLine(e), e);
        }
    }

    public static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
