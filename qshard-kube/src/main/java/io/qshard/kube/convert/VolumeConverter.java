package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySelectorLabelRequirement;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.api.model.storage.CSINodeDriver;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.NodeSelectorTerm;
import io.qshard.core.volume.CsiNodeLimits;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeClaim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PersistentVolumeClaims, PersistentVolumes, StorageClasses and CSINodes → core volume records, keeping only what the
 * volume plugins read. A field that cannot be read (a bad quantity, a selector with an unknown operator) is a
 * {@link ConversionException} naming the object and the field: the object is skipped, never half-converted. A PV node
 * affinity term kube-scheduler 1.20 could not parse (an invalid requirement) becomes a term that matches no node, as it
 * fails there. Stateless and thread-safe.
 */
public final class VolumeConverter {
    private VolumeConverter() {}

    /** A claim. @throws ConversionException naming the claim and field */
    public static VolumeClaim claim(PersistentVolumeClaim pvc) {
        try {
            return claim0(pvc);
        } catch (ConversionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConversionException("persistentvolumeclaim " + key(pvc.getMetadata()) + ": " + e.getMessage(), e);
        }
    }

    private static VolumeClaim claim0(PersistentVolumeClaim pvc) {
        ObjectMeta m = meta(pvc.getMetadata(), "persistentvolumeclaim");
        String what = "persistentvolumeclaim " + m.getNamespace() + "/" + m.getName();
        var spec = pvc.getSpec();
        if (spec == null) {
            throw new ConversionException(what + ": no spec");
        }
        Map<String, String> ann = m.getAnnotations() == null ? Map.of() : m.getAnnotations();
        long request = 0;
        if (spec.getResources() != null && spec.getResources().getRequests() != null) {
            request =
                    bytes(spec.getResources().getRequests().get("storage"), what + " spec.resources.requests.storage");
        }
        String controller = null;
        if (m.getOwnerReferences() != null) {
            for (OwnerReference o : m.getOwnerReferences()) {
                if (Boolean.TRUE.equals(o.getController())) {
                    controller = o.getUid();
                }
            }
        }
        LabelSelector selector = spec.getSelector() == null
                ? null
                : WorkloadConverter.selector(spec.getSelector(), what + " spec.selector");
        return new VolumeClaim(
                m.getNamespace(),
                m.getName(),
                m.getUid(),
                ann.containsKey(VolumeClaim.ANN_STORAGE_CLASS)
                        ? ann.get(VolumeClaim.ANN_STORAGE_CLASS)
                        : spec.getStorageClassName(),
                spec.getVolumeName(),
                pvc.getStatus() == null ? null : pvc.getStatus().getPhase(),
                spec.getAccessModes() == null ? List.of() : nonNull(spec.getAccessModes()),
                request,
                "Block".equals(spec.getVolumeMode()),
                selector,
                m.getDeletionTimestamp() != null,
                ann.get(VolumeClaim.ANN_SELECTED_NODE),
                ann.containsKey(VolumeClaim.ANN_BIND_COMPLETED),
                controller,
                m.getResourceVersion());
    }

    /** A PV. @throws ConversionException naming the PV and field */
    public static PersistentVolume volume(io.fabric8.kubernetes.api.model.PersistentVolume pv) {
        try {
            return volume0(pv);
        } catch (ConversionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConversionException("persistentvolume " + key(pv.getMetadata()) + ": " + e.getMessage(), e);
        }
    }

    private static PersistentVolume volume0(io.fabric8.kubernetes.api.model.PersistentVolume pv) {
        ObjectMeta m = meta(pv.getMetadata(), "persistentvolume");
        String what = "persistentvolume " + m.getName();
        var spec = pv.getSpec();
        if (spec == null) {
            throw new ConversionException(what + ": no spec");
        }
        Map<String, String> ann = m.getAnnotations() == null ? Map.of() : m.getAnnotations();
        long capacity = spec.getCapacity() == null
                ? 0
                : bytes(spec.getCapacity().get("storage"), what + " spec.capacity.storage");
        List<NodeSelectorTerm> affinity = new ArrayList<>();
        if (spec.getNodeAffinity() != null
                && spec.getNodeAffinity().getRequired() != null
                && spec.getNodeAffinity().getRequired().getNodeSelectorTerms() != null) {
            for (var t : spec.getNodeAffinity().getRequired().getNodeSelectorTerms()) {
                affinity.add(term(t));
            }
        }
        PersistentVolume.ClaimRef ref = spec.getClaimRef() == null
                ? null
                : new PersistentVolume.ClaimRef(
                        spec.getClaimRef().getNamespace(),
                        spec.getClaimRef().getName(),
                        spec.getClaimRef().getUid());
        var csi = spec.getCsi();
        return new PersistentVolume(
                m.getName(),
                ann.containsKey(VolumeClaim.ANN_STORAGE_CLASS)
                        ? ann.get(VolumeClaim.ANN_STORAGE_CLASS)
                        : spec.getStorageClassName(),
                capacity,
                spec.getAccessModes() == null ? List.of() : nonNull(spec.getAccessModes()),
                "Block".equals(spec.getVolumeMode()),
                affinity,
                labels(m.getLabels()),
                ref,
                pv.getStatus() == null ? null : pv.getStatus().getPhase(),
                m.getDeletionTimestamp() != null,
                csi == null ? null : csi.getDriver(),
                csi == null ? null : csi.getVolumeHandle(),
                m.getResourceVersion());
    }

    /** A StorageClass. @throws ConversionException naming the class and field */
    public static StorageClass storageClass(io.fabric8.kubernetes.api.model.storage.StorageClass sc) {
        try {
            return storageClass0(sc);
        } catch (ConversionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConversionException("storageclass " + key(sc.getMetadata()) + ": " + e.getMessage(), e);
        }
    }

    private static StorageClass storageClass0(io.fabric8.kubernetes.api.model.storage.StorageClass sc) {
        ObjectMeta m = meta(sc.getMetadata(), "storageclass");
        String mode = sc.getVolumeBindingMode();
        if (mode != null && !mode.equals("Immediate") && !mode.equals("WaitForFirstConsumer")) {
            throw new ConversionException("storageclass " + m.getName() + " volumeBindingMode: unknown '" + mode
                    + "' (Immediate, WaitForFirstConsumer)");
        }
        List<NodeSelectorTerm> allowed = new ArrayList<>();
        if (sc.getAllowedTopologies() != null) {
            for (TopologySelectorTerm t : sc.getAllowedTopologies()) {
                allowed.add(topologyTerm(t));
            }
        }
        return new StorageClass(m.getName(), sc.getProvisioner(), "WaitForFirstConsumer".equals(mode), allowed);
    }

    /** A CSINode's attach limits (drivers without {@code allocatable.count} left out). */
    public static CsiNodeLimits csiNode(CSINode n) {
        try {
            return csiNode0(n);
        } catch (ConversionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConversionException("csinode " + key(n.getMetadata()) + ": " + e.getMessage(), e);
        }
    }

    private static CsiNodeLimits csiNode0(CSINode n) {
        ObjectMeta m = meta(n.getMetadata(), "csinode");
        Map<String, Integer> limits = new HashMap<>();
        if (n.getSpec() != null && n.getSpec().getDrivers() != null) {
            for (CSINodeDriver d : n.getSpec().getDrivers()) {
                if (d.getName() != null
                        && d.getAllocatable() != null
                        && d.getAllocatable().getCount() != null) {
                    int count = d.getAllocatable().getCount();
                    if (count < 0) {
                        throw new ConversionException("csinode " + m.getName() + " spec.drivers[" + d.getName()
                                + "].allocatable.count: must be ≥ 0, was " + count);
                    }
                    limits.put(d.getName(), count);
                }
            }
        }
        return new CsiNodeLimits(m.getName(), limits);
    }

    private static String key(ObjectMeta m) {
        return m == null ? "?" : m.getNamespace() == null ? m.getName() : m.getNamespace() + "/" + m.getName();
    }

    private static ObjectMeta meta(ObjectMeta m, String kind) {
        if (m == null || m.getName() == null) {
            throw new ConversionException(kind + " without metadata.name");
        }
        return m;
    }

    private static long bytes(Quantity q, String what) {
        if (q == null) {
            return 0;
        }
        try {
            long v = Quantities.value(q);
            if (v < 0) {
                throw new ConversionException(what + ": must be ≥ 0, was " + q);
            }
            return v;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConversionException(what + ": not a quantity: " + q, e);
        }
    }

    /**
     * A PV node affinity term as 1.20's {@code MatchNodeSelectorTerms} reads it: a requirement its selector parser
     * rejects fails the whole term, so such a term becomes one that matches nothing (empty).
     */
    private static NodeSelectorTerm term(io.fabric8.kubernetes.api.model.NodeSelectorTerm t) {
        List<NodeSelectorRequirement> labels = new ArrayList<>();
        List<NodeSelectorRequirement> fields = new ArrayList<>();
        try {
            if (t.getMatchExpressions() != null) {
                for (var r : t.getMatchExpressions()) {
                    labels.add(requirement(r.getKey(), r.getOperator(), r.getValues()));
                }
            }
            if (t.getMatchFields() != null) {
                for (var r : t.getMatchFields()) {
                    fields.add(requirement(r.getKey(), r.getOperator(), r.getValues()));
                }
            }
        } catch (IllegalArgumentException e) {
            return new NodeSelectorTerm(List.of());
        }
        return new NodeSelectorTerm(labels, fields);
    }

    /** One requirement, refused as kube's label selector parser refuses it. */
    private static NodeSelectorRequirement requirement(String key, String op, List<String> values) {
        List<String> v = values == null ? List.of() : nonNull(values);
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: required");
        }
        NodeSelectorRequirement.Operator o = switch (op == null ? "" : op) {
            case "In" -> NodeSelectorRequirement.Operator.IN;
            case "NotIn" -> NodeSelectorRequirement.Operator.NOT_IN;
            case "Exists" -> NodeSelectorRequirement.Operator.EXISTS;
            case "DoesNotExist" -> NodeSelectorRequirement.Operator.DOES_NOT_EXIST;
            case "Gt" -> NodeSelectorRequirement.Operator.GT;
            case "Lt" -> NodeSelectorRequirement.Operator.LT;
            default -> throw new IllegalArgumentException("operator: unknown '" + op + "'");
        };
        boolean ok = switch (o) {
            case IN, NOT_IN -> !v.isEmpty();
            case EXISTS, DOES_NOT_EXIST -> v.isEmpty();
            case GT, LT -> v.size() == 1 && v.get(0).matches("-?\\d+");
        };
        if (!ok) {
            throw new IllegalArgumentException("values do not fit operator " + op);
        }
        return new NodeSelectorRequirement(key, o, v);
    }

    /** An allowed-topologies term: every requirement is {@code key In values} (kube's TopologySelectorTerm). */
    private static NodeSelectorTerm topologyTerm(TopologySelectorTerm t) {
        List<NodeSelectorRequirement> reqs = new ArrayList<>();
        if (t.getMatchLabelExpressions() != null) {
            for (TopologySelectorLabelRequirement r : t.getMatchLabelExpressions()) {
                if (r.getKey() == null || r.getValues() == null || r.getValues().isEmpty()) {
                    return new NodeSelectorTerm(List.of()); // kube's parser fails the term: it matches nothing
                }
                reqs.add(new NodeSelectorRequirement(
                        r.getKey(), NodeSelectorRequirement.Operator.IN, nonNull(r.getValues())));
            }
        }
        return new NodeSelectorTerm(reqs);
    }

    private static List<String> nonNull(List<String> in) {
        List<String> out = new ArrayList<>(in.size());
        for (String s : in) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Map<String, String> labels(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>(m);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }
}
