package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.fixtures.ProcessOutput;
import io.qshard.localcluster.junit.RealControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bin/qshard run} as an operator runs it: binds pods, and SIGTERM makes it exit 0. */
@RealControlPlane
class RunCommandIT {

    @Test
    void runsFromTheLauncherAndExitsZeroOnSigterm(KubernetesClient admin, LocalControlPlane cp) throws Exception {
        admin.resource(NodeFixture.node("run-node").build()).create();
        String ns = Namespaces.fresh(admin, "runcmd");
        Process p = new ProcessBuilder(
                        Path.of("..", "bin", "qshard").toString(),
                        "run",
                        "--tier",
                        "prod",
                        "--kubeconfig",
                        cp.kubeconfig().toString())
                .redirectErrorStream(true)
                .start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = ProcessOutput.drain(p, out);
        try {
            admin.resource(PodFixture.pod("hello").namespace(ns).tier("prod").build())
                    .create();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "run-node"
                            .equals(admin.pods()
                                    .inNamespace(ns)
                                    .withName("hello")
                                    .get()
                                    .getSpec()
                                    .getNodeName()));
            p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("exited; output:%n%s", String.join("\n", out))
                    .isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(10)); // all output read (the stream ends with the process)
            assertThat(p.exitValue()).as("output:%n%s", String.join("\n", out)).isZero();
            assertThat(out).anyMatch(l -> l.contains("shutting down"));
        } finally {
            p.destroyForcibly();
        }
    }
}
