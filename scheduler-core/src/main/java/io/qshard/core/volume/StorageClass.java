package io.qshard.core.volume;

import io.qshard.core.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What scheduling reads of a StorageClass. Immutable.
 *
 * @param name              its name
 * @param provisioner       {@code provisioner}; {@link #NO_PROVISIONER} for classes of static volumes only
 * @param waitForFirstConsumer {@code volumeBindingMode} is WaitForFirstConsumer (absent or Immediate: false)
 * @param allowedTopologies {@code allowedTopologies}: ORed terms whose requirements are all {@code key In values}
 *                          ({@code matchLabelExpressions}); empty: every node. An empty term matches no node
 */
public record StorageClass(
        String name, String provisioner, boolean waitForFirstConsumer, List<NodeSelectorTerm> allowedTopologies) {
    /** The provisioner of classes that cannot provision dynamically. */
    public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

    public StorageClass {
        Objects.requireNonNull(name, "name");
        provisioner = provisioner == null ? "" : provisioner;
        allowedTopologies = List.copyOf(allowedTopologies);
    }

    /** Whether it can provision a volume dynamically at all (a provisioner other than none / no-provisioner). */
    public boolean provisions() {
        return !provisioner.isEmpty() && !NO_PROVISIONER.equals(provisioner);
    }

    /** Whether a node with these labels is in its allowed topologies (kube's {@code MatchTopologySelectorTerms}). */
    public boolean allows(Map<String, String> nodeLabels) {
        if (allowedTopologies.isEmpty()) {
            return true;
        }
        for (NodeSelectorTerm t : allowedTopologies) {
            if (t.matches(nodeLabels)) {
                return true;
            }
        }
        return false;
    }
}
