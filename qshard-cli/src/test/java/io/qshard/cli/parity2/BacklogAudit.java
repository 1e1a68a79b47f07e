package io.qshard.cli.parity2;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.api.model.storage.CSINodeDriver;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a kubelet would refuse, read from API objects alone: per node, the bound pods' requests (kube's effective
 * request: max of the containers' sum and each init container, plus overhead) of every resource against allocatable
 * (a resource the node does not report counts as 0), the pod count, host port conflicts (same protocol and port, and
 * the same host IP or either 0.0.0.0), and distinct attached CSI volumes per driver against the CSINode's
 * {@code allocatable.count}. Stateless; the inputs are read, never changed.
 */
final class BacklogAudit {
    private BacklogAudit() {}

    /** Every violation found, as "node: what" lines (empty: none). */
    static List<String> violations(
            List<Node> nodes,
            List<Pod> pods,
            List<PersistentVolumeClaim> claims,
            List<PersistentVolume> volumes,
            List<CSINode> csiNodes) {
        Map<String, List<Pod>> byNode = new TreeMap<>();
        for (Pod p : pods) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if (p.getSpec().getNodeName() != null && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                byNode.computeIfAbsent(p.getSpec().getNodeName(), n -> new ArrayList<>())
                        .add(p);
            }
        }
        Map<String, Node> nodeByName = new HashMap<>();
        nodes.forEach(n -> nodeByName.put(n.getMetadata().getName(), n));
        List<String> out = new ArrayList<>();
        byNode.forEach((name, onNode) -> {
            Node node = nodeByName.get(name);
            if (node == null) {
                out.add(name + ": " + onNode.size() + " pods bound to a node that does not exist");
                return;
            }
            resources(name, node, onNode, out);
            ports(name, onNode, out);
            csiVolumes(name, onNode, claims, volumes, csiNodes, out);
        });
        return out;
    }

    /** kube's effective request of one pod, per resource name. */
    static Map<String, BigDecimal> request(Pod p) {
        Map<String, BigDecimal> sum = new HashMap<>();
        for (Container c : p.getSpec().getContainers()) {
            requestsOf(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
        }
        for (Container c : p.getSpec().getInitContainers()) {
            requestsOf(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
        }
        if (p.getSpec().getOverhead() != null) {
            p.getSpec().getOverhead().forEach((k, v) -> sum.merge(k, v.getNumericalAmount(), BigDecimal::add));
        }
        return sum;
    }

    private static Map<String, BigDecimal> requestsOf(Container c) {
        Map<String, BigDecimal> m = new HashMap<>();
        if (c.getResources() != null && c.getResources().getRequests() != null) {
            c.getResources().getRequests().forEach((k, v) -> m.put(k, v.getNumericalAmount()));
        }
        return m;
    }

    private static void resources(String name, Node node, List<Pod> onNode, List<String> out) {
        Map<String, BigDecimal> used = new TreeMap<>();
        onNode.forEach(p -> request(p).forEach((k, v) -> used.merge(k, v, BigDecimal::add)));
        used.put("pods", BigDecimal.valueOf(onNode.size()));
        Map<String, Quantity> alloc = node.getStatus().getAllocatable();
        used.forEach((resource, amount) -> {
            Quantity q = alloc == null ? null : alloc.get(resource);
            BigDecimal allocatable = q == null ? BigDecimal.ZERO : q.getNumericalAmount();
            if (amount.compareTo(allocatable) > 0) {
                out.add(name + ": " + resource + " requested " + amount.toPlainString() + " > allocatable "
                        + allocatable.toPlainString());
            }
        });
    }

    private static void ports(String name, List<Pod> onNode, List<String> out) {
        List<String[]> seen = new ArrayList<>(); // ip, protocol, port, pod
        for (Pod p : onNode) {
            for (Container c : p.getSpec().getContainers()) {
                for (ContainerPort cp : c.getPorts()) {
                    if (cp.getHostPort() == null || cp.getHostPort() <= 0) {
                        continue;
                    }
                    String ip = cp.getHostIP() == null || cp.getHostIP().isEmpty() ? "0.0.0.0" : cp.getHostIP();
                    String protocol = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
                    String port = cp.getHostPort().toString();
                    for (String[] s : seen) {
                        boolean ipClash = s[0].equals(ip) || s[0].equals("0.0.0.0") || ip.equals("0.0.0.0");
                        if (ipClash && s[1].equals(protocol) && s[2].equals(port)) {
                            out.add(name + ": host port " + protocol + " " + port + " of "
                                    + p.getMetadata().getName() + " (" + ip + ") conflicts with " + s[3] + " (" + s[0]
                                    + ")");
                        }
                    }
                    seen.add(new String[] {ip, protocol, port, p.getMetadata().getName()});
                }
            }
        }
    }

    private static void csiVolumes(
            String name,
            List<Pod> onNode,
            List<PersistentVolumeClaim> claims,
            List<PersistentVolume> volumes,
            List<CSINode> csiNodes,
            List<String> out) {
        CSINode csi = csiNodes.stream()
                .filter(c -> c.getMetadata().getName().equals(name))
                .findFirst()
                .orElse(null);
        if (csi == null) {
            return;
        }
        Map<String, Set<String>> handles = new TreeMap<>(); // driver → distinct volume handles
        for (Pod p : onNode) {
            for (Volume v : p.getSpec().getVolumes()) {
                PersistentVolume pv = v.getPersistentVolumeClaim() == null
                        ? null
                        : volumeOf(
                                p.getMetadata().getNamespace(),
                                v.getPersistentVolumeClaim().getClaimName(),
                                claims,
                                volumes);
                if (pv != null && pv.getSpec().getCsi() != null) {
                    handles.computeIfAbsent(pv.getSpec().getCsi().getDriver(), d -> new TreeSet<>())
                            .add(pv.getSpec().getCsi().getVolumeHandle());
                }
            }
        }
        for (CSINodeDriver d : csi.getSpec().getDrivers()) {
            int attached = handles.getOrDefault(d.getName(), Set.of()).size();
            if (d.getAllocatable() != null
                    && d.getAllocatable().getCount() != null
                    && attached > d.getAllocatable().getCount()) {
                out.add(name + ": " + attached + " volumes of " + d.getName() + " attached > limit "
                        + d.getAllocatable().getCount());
            }
        }
    }

    private static PersistentVolume volumeOf(
            String namespace, String claim, List<PersistentVolumeClaim> claims, List<PersistentVolume> volumes) {
        String volume = claims.stream()
                .filter(c -> c.getMetadata().getNamespace().equals(namespace)
                        && c.getMetadata().getName().equals(claim))
                .map(c -> c.getSpec().getVolumeName())
                .findFirst()
                .orElse(null);
        return volume == null
                ? null
                : volumes.stream()
                        .filter(v -> v.getMetadata().getName().equals(volume))
                        .findFirst()
                        .orElse(null);
    }
}
