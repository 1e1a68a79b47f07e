package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployment-like replicas with topology rules (issue 20). The fleet: {@code o.nodes} nodes of 8 cores / 32 GiB
 * named {@code bench-00000}…, node i in zone {@code zone-(i mod 10)} ({@code topology.kubernetes.io/zone}; the
 * {@code kubernetes.io/hostname} label is the node's name). The pods: prod-shaped (100m / 128Mi) as in the plain
 * backlog, pod i a replica of app {@code i / 10} — 10 replicas per app, created app after app, as Deployments scale up
 * — labelled {@code app: appN}, each with a required {@code podAntiAffinity} on {@code kubernetes.io/hostname} against
 * its own app and a {@code topologySpreadConstraint} on the zone, maxSkew 1, DoNotSchedule, on its own app. The same
 * pods for every contender; the audit ({@link PlacementAudit}) reads back every bound pod and the nodes' zones.
 */
final class TopologyWorkload implements BacklogWorkload {
    static final int ZONES = 10;
    static final int REPLICAS = 10;
    static final String APP_LABEL = "app";
    static final String HOSTNAME_KEY = "kubernetes.io/hostname";
    static final String ZONE_KEY = "topology.kubernetes.io/zone";
    static final int MAX_SKEW = 1;

    @Override
    public String describe() {
        return "Deployment-like pods (100m / 128Mi, " + REPLICAS + " replicas per app labelled app: appN, each with "
                + "required hostname anti-affinity and a zone spread constraint, maxSkew " + MAX_SKEW
                + " DoNotSchedule, on its own app) on nodes in " + ZONES + " zones";
    }

    @Override
    public void registerFleet(KubernetesClient admin, BacklogOptions o) {
        List<Node> fleet = new ArrayList<>();
        for (int i = 0; i < o.nodes; i++) {
            fleet.add(NodeFixture.node(String.format("bench-%05d", i))
                    .cpu("8")
                    .memory("32Gi")
                    .label(ZONE_KEY, "zone-" + (i % ZONES))
                    .build());
        }
        Bulk.create(admin, fleet, 16);
    }

    @Override
    public List<Pod> pods(String namespace, int count, String schedulerName) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String app = "app" + i / REPLICAS;
            Pod plain = PodFixture.pod("p-" + i)
                    .namespace(namespace)
                    .tier("prod")
                    .schedulerName(schedulerName)
                    .cpuMilli(100)
                    .memoryMi(128)
                    .label(APP_LABEL, app)
                    .build();
            out.add(new PodBuilder(plain)
                    .editSpec()
                    .withNewAffinity()
                    .withNewPodAntiAffinity()
                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNewLabelSelector()
                    .addToMatchLabels(APP_LABEL, app)
                    .endLabelSelector()
                    .withTopologyKey(HOSTNAME_KEY)
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endPodAntiAffinity()
                    .endAffinity()
                    .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
                            .withMaxSkew(MAX_SKEW)
                            .withTopologyKey(ZONE_KEY)
                            .withWhenUnsatisfiable("DoNotSchedule")
                            .withNewLabelSelector()
                            .addToMatchLabels(APP_LABEL, app)
                            .endLabelSelector()
                            .build())
                    .endSpec()
                    .build());
        }
        return out;
    }

    @Override
    public PlacementAudit audit(KubernetesClient admin, String namespace) {
        Map<String, String> zoneOfNode = new HashMap<>();
        for (Node n : admin.nodes().list().getItems()) {
            Map<String, String> labels = n.getMetadata().getLabels();
            String zone = labels == null ? null : labels.get(ZONE_KEY);
            if (zone != null) {
                zoneOfNode.put(n.getMetadata().getName(), zone);
            }
        }
        List<PlacementAudit.Placed> placed = new ArrayList<>();
        for (Pod p : admin.pods().inNamespace(namespace).list().getItems()) {
            String node = p.getSpec().getNodeName();
            Map<String, String> labels = p.getMetadata().getLabels();
            if (node != null && !node.isEmpty() && labels != null && labels.containsKey(APP_LABEL)) {
                placed.add(new PlacementAudit.Placed(p.getMetadata().getName(), labels.get(APP_LABEL), node));
            }
        }
        return PlacementAudit.of(placed, zoneOfNode, MAX_SKEW);
    }
}
