package io.qshard.localcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of {@link KubeletReset} that puts a node's own values back: the QoS cgroups' CPU limits a killed node agent
 * left, and the allocatable an oversale webhook scaled. Stateless.
 */
final class KubeletRestore {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletRestore.class);

    private KubeletRestore() {}

    /**
     * Undoes a node agent that was killed before it lifted its isolation: {@code cpu.cfs_quota_us} = -1 and (where the
     * kernel has it) {@code cpu.idle} = 0 on {@code kubepods/burstable} and {@code kubepods/besteffort}; the kubelet
     * sets neither on QoS cgroups.
     */
    static void liftQosLimits(KubeletNode n) {
        for (String qos : List.of("burstable", "besteffort")) {
            Path dir = n.kubepodsCgroup("cpu").resolve(qos);
            restore(dir.resolve("cpu.cfs_quota_us"), "-1");
            restore(dir.resolve("cpu.idle"), "0");
        }
    }

    private static void restore(Path file, String value) {
        try {
            if (Files.exists(file) && !Files.readString(file).trim().equals(value)) {
                LOG.warn(
                        "{} was {}; resetting it to {}",
                        file,
                        Files.readString(file).trim(),
                        value);
                Files.writeString(file, value);
            }
        } catch (IOException e) {
            throw new ControlPlaneException("kubelet node reset: cannot write " + value + " to " + file + ": " + e, e);
        }
    }

    /**
     * Waits until every node is Ready with the allocatable cpu and memory it had at start (an oversale webhook may have
     * scaled it; the kubelet writes its own value back at its next status update once the webhook is gone).
     */
    static void awaitOwnAllocatable(KubernetesClient client, List<KubeletNode> nodes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> off = offAllocatable(client, nodes);
        while (!off.isEmpty() && System.nanoTime() < deadline && KubeletReset.pause(200)) {
            off = offAllocatable(client, nodes);
        }
        if (!off.isEmpty()) {
            throw new ControlPlaneException(
                    "kubelet node reset: not Ready with their own allocatable after " + timeout + ": " + off);
        }
    }

    private static List<String> offAllocatable(KubernetesClient client, List<KubeletNode> nodes) {
        List<String> off = new ArrayList<>();
        for (KubeletNode n : nodes) {
            try {
                Node node = client.nodes().withName(n.name()).get();
                if (node == null || node.getStatus() == null || node.getStatus().getAllocatable() == null) {
                    off.add(n.name() + ": no status");
                    continue;
                }
                Map<String, Quantity> a = node.getStatus().getAllocatable();
                long cpu = a.containsKey("cpu") ? KubeletLauncher.milli(a.get("cpu")) : -1;
                long memory = a.containsKey("memory")
                        ? Quantity.getAmountInBytes(a.get("memory")).longValue()
                        : -1;
                boolean ready = node.getStatus().getConditions() != null
                        && node.getStatus().getConditions().stream()
                                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                if (!ready || cpu != n.allocatableMilliCpu() || memory != n.allocatableMemoryBytes()) {
                    off.add(n.name() + ": ready=" + ready + " cpu=" + cpu + "m (own " + n.allocatableMilliCpu()
                            + "m) memory=" + memory + " (own " + n.allocatableMemoryBytes() + ")");
                }
            } catch (KubernetesClientException e) {
                off.add(n.name() + ": " + e.getMessage());
            }
        }
        return off;
    }
}
