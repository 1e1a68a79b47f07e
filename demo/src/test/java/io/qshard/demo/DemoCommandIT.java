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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * A short demo on an existing cluster (the shared control plane, with controller-manager): every tier gets pods bound,
 * the borrowing tiers raise the measured cpu use, the prod load is scaled to its 25 % peak, the report (with the
 * borrowing tiers' pending pod-seconds) and a well-formed SVG chart are written, and the demo's nodes, workloads and
 * usage objects are gone afterwards. With {@code --replica-hosting}, the in-process controller changes the batch and
 * free Deployments' replicas and the report says so. The full-size run is the README's first command.
 */
@RealControlPlane(controllerManager = true)
class DemoCommandIT {
    private static final Pattern USED = Pattern.compile("(before|after) +\\(.*?\\): +([0-9.]+) % used");
    private static final Pattern TIER = Pattern.compile("(prod|mid|batch|free) (\\d+)/(\\d+)");
    private static final Pattern HOSTING = Pattern.compile("replica hosting: on — (\\d+) changes written \\((\\d+) up, "
            + "(\\d+) down seen\\), (\\d+) manual, \\d+ conflicts, \\d+ errors; hosted replicas now (\\d+) "
            + "\\(request (\\d+)\\) in (\\d+) Deployments");

    @Test
    void aShortDemoBindsEveryTierReportsAndCleansUp(KubernetesClient admin, LocalControlPlane cp, @TempDir Path out)
            throws Exception {
        String text = demo(cp, out, "20s");
        assertThat(text).contains("=== qshard demo report ===").contains("[").contains("binds/s");
        assertThat(text).containsPattern("Prod load scaled ×[0-9.]+: fleet peak 25 % of the cores");
        assertThat(text)
                .containsPattern("pending pod-seconds \\(mid, batch, free; after\\): [0-9]+, mean [0-9.]+ pending");
        assertThat(text).contains("replica hosting: off (--replica-hosting)");

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

        assertCleanedUp(admin);
    }

    @Test
    void aShortDemoWithReplicaHostingScalesTheBorrowers(KubernetesClient admin, LocalControlPlane cp, @TempDir Path out)
            throws Exception {
        String text = demo(cp, out, "45s", "--replica-hosting");
        assertThat(text)
                .contains("=== qshard demo report ===")
                .contains("churn: off — replica hosting sets the mid, batch and free replicas")
                .contains("| hosted ");
        Matcher m = HOSTING.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        long written = Long.parseLong(m.group(1));
        long up = Long.parseLong(m.group(2));
        long down = Long.parseLong(m.group(3));
        assertThat(written).as(text).isPositive();
        assertThat(up + down).as(text).isPositive().isLessThanOrEqualTo(written);
        assertThat(Long.parseLong(m.group(4)))
                .as("manual changes: the demo makes none%n%s", text)
                .isZero();
        // the mid, batch and free Deployments' request: 12 nodes, 224 cores → mid 11 pods in 4, batch 33 in 8,
        // free 33 in 6
        assertThat(Long.parseLong(m.group(6))).as(text).isEqualTo(77);
        assertThat(Long.parseLong(m.group(7))).as(text).isEqualTo(18);
        long now = Long.parseLong(m.group(5));
        assertThat(now).as(text).isBetween(18L, 154L); // within Σ min (1 each) and Σ max (2R each)
        assertThat(text).containsPattern("pending pod-seconds \\(mid, batch, free; after\\): [0-9]+");
        assertCleanedUp(admin);
    }

    /** Runs a 12-node demo on {@code cp} with a 10 s baseline, returns its output; exit 0. */
    private static String demo(LocalControlPlane cp, Path out, String duration, String... more) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        List<String> args = new ArrayList<>(List.of(
                "demo",
                "--kubeconfig",
                cp.kubeconfig().toString(),
                "--nodes",
                "12",
                "--baseline",
                "10s",
                "--duration",
                duration,
                "--out",
                out.toString(),
                "--manifests",
                "../manifests",
                "--traces",
                "../../shared/traces"));
        args.addAll(List.of(more));
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        return text;
    }

    private static void assertCleanedUp(KubernetesClient admin) {
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
