package io.qshard.cli.parity2;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fixture of {@code MixedBacklogAuditIT}: 20 API-only nodes of 16 cores / 64 GiB in three groups (label
 * {@link #GROUP}) — {@code gpu} (mb-00..05, {@code example.com/gpu} 2,1,2,1,2,1: 9 in all), {@code big} (mb-06..09) and
 * {@code csi} (mb-10..19, a CSINode each allowing 2 volumes of {@link #DRIVER}: 20 in all) — 30 claims fully bound
 * (as the PV controller leaves them) to CSI PVs of that driver, and a backlog of 300 pods for qshard-prod in five kinds
 * (label {@link #KIND}) whose demand exceeds the supply of GPUs, of host port 9000, of CSI attachments and of cpu on the
 * big nodes. Stateless.
 */
final class MixedBacklog {
    static final String GROUP = "qshard.io/audit-group";
    static final String KIND = "qshard.io/audit-kind";
    static final String DRIVER = "csi.audit.example.com";
    static final int NODES = 20;
    static final int HOST_PORT = 9000;

    /** A kind of backlog pod: how many, and the text its FailedScheduling reason must contain if left pending. */
    enum Kind {
        PLAIN(200, null),
        GPU(20, "Insufficient " + ResourceCluster.GPU),
        PORT(40, "node(s) didn't have free ports for the requested pod ports"),
        PVC(30, "node(s) exceed max volume count"),
        BIG(10, "Insufficient cpu");

        final int count;
        final String pendingReason;

        Kind(int count, String pendingReason) {
            this.count = count;
            this.pendingReason = pendingReason;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private MixedBacklog() {}

    static String nodeName(int i) {
        return String.format("mb-%02d", i);
    }

    static List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            String group = i < 6 ? "gpu" : i < 10 ? "big" : "csi";
            Node base = NodeFixture.node(nodeName(i))
                    .cpu("16")
                    .memory("64Gi")
                    .label(GROUP, group)
                    .build();
            Map<String, Quantity> r = new LinkedHashMap<>(base.getStatus().getAllocatable());
            if (i < 6) {
                r.put(ResourceCluster.GPU, new Quantity(i % 2 == 0 ? "2" : "1"));
            }
            out.add(new NodeBuilder(base)
                    .editStatus()
                    .withCapacity(r)
                    .withAllocatable(new LinkedHashMap<>(r))
                    .endStatus()
                    .build());
        }
        return out;
    }

    static List<CSINode> csiNodes() {
        List<CSINode> out = new ArrayList<>();
        for (int i = 10; i < NODES; i++) {
            out.add(new CSINodeBuilder()
                    .withNewMetadata()
                    .withName(nodeName(i))
                    .endMetadata()
                    .withNewSpec()
                    .addNewDriver()
                    .withName(DRIVER)
                    .withNodeID(nodeName(i))
                    .withNewAllocatable()
                    .withCount(2)
                    .endAllocatable()
                    .endDriver()
                    .endSpec()
                    .build());
        }
        return out;
    }

    /** The name of the PV behind claim {@code vol-i} of namespace {@code ns}. */
    static String volumeName(String ns, int i) {
        return ns + "-vol-" + i;
    }

    /**
     * Creates claim {@code vol-i} and its CSI PV, bound to each other in spec and status as the PV controller binds
     * them (claimRef with uid, volumeName, bind-completed annotation, phase Bound) — no controller runs.
     */
    static void createBoundClaim(KubernetesClient admin, String ns, int i) {
        String claim = "vol-" + i;
        PersistentVolumeClaim c = admin.resource(
                        new PersistentVolumeClaimBuilder(StorageObjects.claim(ns, claim, "", volumeName(ns, i)))
                                .editMetadata()
                                .withAnnotations(Map.of("pv.kubernetes.io/bind-completed", "yes"))
                                .endMetadata()
                                .build())
                .create();
        PersistentVolume pv = new PersistentVolumeBuilder(StorageObjects.csiPv(
                        volumeName(ns, i), "", volumeName(ns, i), StorageObjects.claimRef(ns, claim)))
                .editSpec()
                .editCsi()
                .withDriver(DRIVER)
                .endCsi()
                .editClaimRef()
                .withUid(c.getMetadata().getUid())
                .endClaimRef()
                .endSpec()
                .build();
        admin.resource(pv).create();
        admin.persistentVolumes().withName(volumeName(ns, i)).editStatus(x -> {
            x.getStatus().setPhase("Bound");
            return x;
        });
        admin.persistentVolumeClaims().inNamespace(ns).withName(claim).editStatus(x -> {
            x.getStatus().setPhase("Bound");
            x.getStatus().setAccessModes(List.of("ReadWriteOnce"));
            x.getStatus().setCapacity(Map.of("storage", new Quantity("10Gi")));
            return x;
        });
    }

    /** The {@link #total()} (300) backlog pods, kinds interleaved so no kind is queued entirely before another. */
    static List<Pod> pods(String ns, String schedulerName) {
        List<Pod> out = new ArrayList<>();
        int[] made = new int[Kind.values().length];
        while (out.size() < total()) {
            for (Kind k : Kind.values()) {
                int perRound = Math.max(1, k.count / 10);
                for (int j = 0; j < perRound && made[k.ordinal()] < k.count; j++) {
                    out.add(pod(ns, schedulerName, k, made[k.ordinal()]++));
                }
            }
        }
        return out;
    }

    static int total() {
        int n = 0;
        for (Kind k : Kind.values()) {
            n += k.count;
        }
        return n;
    }

    private static Pod pod(String ns, String schedulerName, Kind k, int i) {
        PodShape s = switch (k) {
            case PLAIN -> PodShape.of("cpu", "500m", "memory", "2Gi");
            case GPU -> PodShape.existing().plus(ResourceCluster.GPU, "1");
            case PORT -> PodShape.existing().hostPort("", "TCP", HOST_PORT);
            case PVC -> PodShape.existing().claim("vol-" + i);
            case BIG -> PodShape.cores(10);
        };
        Pod p = ShapePods.build(s, k.label() + "-" + i, ns, schedulerName, null, null, null);
        Map<String, String> selector = switch (k) {
            case PVC -> Map.of(GROUP, "csi");
            case BIG -> Map.of(GROUP, "big");
            default -> null;
        };
        return new PodBuilder(p)
                .editMetadata()
                .withLabels(Map.of(KIND, k.label()))
                .endMetadata()
                .editSpec()
                .withNodeSelector(selector)
                .endSpec()
                .build();
    }
}
