package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM that runs a control plane and is then stopped with SIGTERM (shutdown hook path) or SIGKILL
 * (no Java code runs: pdeathsig kills the children, the next start reaps the directory) leaves no
 * process and no run directory behind.
 */
class LocalControlPlaneLifecycleIT {

    @ParameterizedTest
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void aStoppedJvmLeavesNothingBehind(String signal) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(
                        java.toString(), "-cp", System.getProperty("java.class.path"), LocalClusterMain.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jvm.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> out.contains("ready") || !jvm.isAlive());
            assertThat(out).as("child output").contains("ready");
            List<Long> pids = out.stream()
                    .filter(l -> l.startsWith("pid "))
                    .map(l -> Long.parseLong(l.replaceFirst(".*=", "")))
                    .toList();
            Path runDir = Path.of(out.stream()
                    .filter(l -> l.startsWith("run-dir="))
                    .findFirst()
                    .orElseThrow()
                    .substring(8));
            assertThat(pids).hasSize(2);
            assertThat(pids).allMatch(LocalControlPlaneLifecycleIT::alive);

            if (signal.equals("SIGTERM")) {
                jvm.destroy();
            } else {
                jvm.destroyForcibly();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !jvm.isAlive());
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(pids).noneMatch(LocalControlPlaneLifecycleIT::alive));
            if (signal.equals("SIGKILL")) {
                assertThat(runDir).as("no Java code ran on SIGKILL").exists();
                RunDirectory.reapStale(runDir.getParent());
            }
            assertThat(Files.exists(runDir))
                    .as("run dir %s removed; child output:%n%s", runDir, String.join("\n", out))
                    .isFalse();
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
