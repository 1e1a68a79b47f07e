package io.qshard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.cli.Main;
import io.qshard.kube.api.NodeUsage;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.junit.RealControlPlane;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * A short demo on an existing cluster (the shared control plane, with controller-manager): every tier gets pods bound,
 * the borrowing tiers raise the measured cpu use, the report and a well-formed SVG chart are written, and the demo's
 * nodes, workloads and usage objects are gone afterwards. The full-size run is the README's first command.
 */
@RealControlPlane(controllerManager = true)
class DemoCommandIT {
    private static final Pattern USED = Pattern.compile("(before|after) +\\(.*?\\): +([0-9.]+) % used");
    private static final Pattern TIER = Pattern.compile("(prod|mid|batch|free) (\\d+)/(\\d+)");

    @Test
    void aShortDemoBindsEveryTierReportsAndCleansUp(KubernetesClient admin, LocalControlPlane cp, @TempDir Path out)
            throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Main.commandLine()
                    .execute(
                            "demo",
                            "--kubeconfig",
                            cp.kubeconfig().toString(),
                            "--nodes",
                            "12",
                            "--baseline",
                            "10s",
                            "--duration",
                            "20s",
                            "--out",
                            out.toString(),
                            "--manifests",
                            "../manifests",
                            "--traces",
                            "../../shared/traces");
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        assertThat(text).contains("=== qshard demo report ===").contains("[").contains("binds/s");

        double before = -1;
        double after = -1;
        for (Matcher m = USED.matcher(text); m.find(); ) {
            double v = Double.parseDouble(m.group(2));
            if (m.group(1).equals("before")) {
                before = v;
            } else {
                after = v;
            }
        }
        assertThat(after).as(text).isGreaterThan(before).isGreaterThan(0);
        String perTier = text.substring(text.indexOf("pods per tier now"));
        perTier = perTier.substring(0, perTier.indexOf('\n'));
        int tiers = 0;
        for (Matcher m = TIER.matcher(perTier); m.find(); tiers++) {
            assertThat(Long.parseLong(m.group(2)))
                    .as("%s bound in: %s%n%s", m.group(1), perTier, text)
                    .isPositive();
        }
        assertThat(tiers).isEqualTo(4);

        Document svg = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(out.resolve("cpu.svg").toFile());
        assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(Files.readString(out.resolve("report.txt"))).contains("utilisation");

        assertThat(admin.nodes().withLabel(DemoCluster.DEMO_LABEL).list().getItems())
                .isEmpty();
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace(DemoWorkload.NAMESPACE)
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(admin.resources(NodeUsage.class).list().getItems())
                .noneMatch(u -> u.getMetadata().getName().startsWith("demo-node-"));
    }
}
