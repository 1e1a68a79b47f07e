package io.qshard.shard.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.qshard.core.model.ResourceNames;

/** Renders nodes like {@code kubectl get nodes}, plus the allocatable columns qshard cares about. */
public final class NodeTable {
    private static final String[] HEADER = {"NAME", "STATUS", "CPU", "MEMORY", "PODS", "BATCH-CPU", "BATCH-MEMORY", "AGE"};

    private NodeTable() {
    }

    public static String render(List<Node> nodes, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Node n : nodes) {
            Map<String, Quantity> a = n.getStatus() == null || n.getStatus().getAllocatable() == null
                    ? Map.of() : n.getStatus().getAllocatable();
            rows.add(new String[] {n.getMetadata().getName(), status(n), q(a, ResourceNames.CPU), q(a, ResourceNames.MEMORY),
                    q(a, ResourceNames.PODS), q(a, ResourceNames.BATCH_CPU), q(a, ResourceNames.BATCH_MEMORY),
                    age(n.getMetadata().getCreationTimestamp(), now)});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 3) + "s", r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String status(Node n) {
        boolean ready = n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch((NodeCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        String s = ready ? "Ready" : "NotReady";
        return Boolean.TRUE.equals(n.getSpec().getUnschedulable()) ? s + ",SchedulingDisabled" : s;
    }

    private static String q(Map<String, Quantity> m, String key) {
        Quantity v = m.get(key);
        return v == null ? "-" : v.toString();
    }

    private static String age(String created, Instant now) {
        if (created == null) {
            return "-";
        }
        Duration d = Duration.between(Instant.parse(created), now);
        return d.toHours() > 0 ? d.toHours() + "h" : d.toMinutes() > 0 ? d.toMinutes() + "m" : Math.max(0, d.toSeconds()) + "s";
    }
}
