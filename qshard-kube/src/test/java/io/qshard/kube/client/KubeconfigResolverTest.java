package io.qshard.kube.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.kube.process.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigResolverTest {
    private static Path kubeconfig(Path dir, String name, String server) throws IOException {
        return Files.writeString(dir.resolve(name), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "%s"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: c, user: u}}]
                current-context: c
                """.formatted(server));
    }

    @Test
    void orderIsFlagThenKubeconfigEnvThenHome(@TempDir Path dir) throws IOException {
        Path flag = kubeconfig(dir, "flag", "https://flag:6443");
        Path env = kubeconfig(dir, "env", "https://env:6443");
        Files.createDirectories(dir.resolve("home/.kube"));
        kubeconfig(dir.resolve("home/.kube"), "config", "https://home:6443");
        Map<String, String> envVars = Map.of("KUBECONFIG", dir.resolve("missing") + ":" + env);

        assertThat(KubeconfigResolver.resolve(flag, envVars, dir.resolve("home"))
                        .config()
                        .getMasterUrl())
                .contains("flag");
        KubeconfigResolver.Resolved fromEnv = KubeconfigResolver.resolve(null, envVars, dir.resolve("home"));
        assertThat(fromEnv.config().getMasterUrl()).contains("env");
        assertThat(fromEnv.source()).startsWith("KUBECONFIG");
        assertThat(KubeconfigResolver.resolve(null, Map.of(), dir.resolve("home"))
                        .config()
                        .getMasterUrl())
                .contains("home");
    }

    @Test
    void nothingConfiguredIsOneLineSayingWhatToDo(@TempDir Path dir) {
        assertThatThrownBy(() -> KubeconfigResolver.resolve(null, Map.of(), dir))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("no cluster configured: pass --kubeconfig");
        assertThatThrownBy(() -> KubeconfigResolver.resolve(null, Map.of("KUBECONFIG", "/nope/a:/nope/b"), dir))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("none of the files in KUBECONFIG exists");
    }
}
