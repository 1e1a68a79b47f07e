package io.qshard.shard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.shard.demo.DemoCluster;
import io.qshard.localcluster.junit.RealControlPlane;

/** The demo on an existing (real) cluster registers its nodes, shows them, and removes them again. */
@RealControlPlane
class DemoCommandIT {

    @Test
    void demoOnAnExistingClusterShowsItsNodesAndCleansUp(KubernetesClient admin, LocalControlPlane cp) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("demo", "--kubeconfig", cp.kubeconfig().toString(), "--nodes", "5");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);

        assertThat(exit).isZero();
        assertThat(out).contains("NAME", "STATUS", "demo-node-000", "demo-node-004", "Ready", "32Gi", "128Gi");
        assertThat(out.lines().filter(l -> l.startsWith("demo-node-"))).hasSize(5);
        assertThat(admin.nodes().withLabel(DemoCluster.DEMO_LABEL).list().getItems()).isEmpty();
    }
}
