package io.qshard.kube.convert;

import io.qshard.core.model.PodVolume;
import io.qshard.core.model.PodVolume.Source;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams the rarer parts of a pod's spec for {@link PodSpecReader}: {@code volumes} (those scheduling reads — claims,
 * generic ephemeral volumes, single-node disks, inline CSI; every other source is left out), {@code schedulingGates},
 * and the fields scheduling does not act on, each named in {@link #ignored()} so the user is told ({@code
 * spec.resourceClaims}, and the in-tree disks whose per-node attach limits kube-scheduler 1.20's
 * EBSLimits/GCEPDLimits/AzureDiskLimits enforce and qshard does not). Not thread-safe (one per
 * pod being decoded).
 */
final class PodVolumesReader {
    /** Scratch for a volume's name while its source is not known yet (volume names are DNS labels, ≤ 63). */
    private static final ThreadLocal<char[]> NAME = ThreadLocal.withInitial(() -> new char[64]);

    private final List<PodVolume> volumes = new ArrayList<>(2);
    private final List<String> gates = new ArrayList<>(1);
    private final List<String> ignored = new ArrayList<>(1);

    /** The fields of the volume sources read, all in one holder (their keys do not collide). */
    private static final class SourceFields {
        String claimName;
        String pdName;
        String volumeId;
        String iqn;
        String pool = "rbd"; // the API's default
        String image;
        /** The Ceph monitors, sorted and distinct, joined by ','; "" when none. */
        String monitors = "";

        String driver;
        boolean readOnly;
    }

    /**
     * Reads {@code spec.volumes}; the parser is on the array. Static, and {@code spec}'s reader is made only when a
     * volume matters: most pods list nothing but their service account token.
     */
    static void volumes(JsonParser p, PodSpecReader spec) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        char[] name = NAME.get(); // the volume's name, copied: a String is made only for a volume that matters
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int nameLength = -1;
            Source source = null;
            String limit = null;
            SourceFields f = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "name" -> {
                        if (p.currentToken() == JsonToken.VALUE_STRING) {
                            nameLength = p.getStringLength();
                            if (nameLength > name.length) {
                                name = new char[nameLength];
                                NAME.set(name);
                            }
                            System.arraycopy(p.getStringCharacters(), p.getStringOffset(), name, 0, nameLength);
                        }
                    }
                    case "persistentVolumeClaim" -> source = Source.CLAIM;
                    case "ephemeral" -> source = Source.EPHEMERAL;
                    case "gcePersistentDisk" -> {
                        source = Source.GCE_PD;
                        limit = "GCE PD";
                    }
                    case "awsElasticBlockStore" -> {
                        source = Source.AWS_EBS;
                        limit = "EBS";
                    }
                    case "iscsi" -> source = Source.ISCSI;
                    case "rbd" -> source = Source.RBD;
                    case "csi" -> source = Source.CSI_INLINE;
                    case "azureDisk" -> limit = "Azure disk";
                    default -> {
                        p.skipChildren();
                        continue;
                    }
                }
                if (p.currentToken() == JsonToken.START_OBJECT) {
                    f = fields(p);
                }
            }
            if (limit == null && source == null) {
                continue;
            }
            String n = nameLength < 0 ? null : new String(name, 0, nameLength);
            if (limit != null) {
                spec.more()
                        .ignored
                        .add("spec.volumes[" + n + "]: the node's " + limit + " attach limit is not enforced");
            }
            if (source != null) {
                spec.more().volumes.add(volume(n, source, f == null ? new SourceFields() : f));
            }
        }
    }

    /** Reads {@code spec.schedulingGates}; the parser is on the array. */
    void gates(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                if ("name".equals(key) && p.currentToken() == JsonToken.VALUE_STRING) {
                    gates.add(p.getString());
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** {@code spec.resourceClaims} (dynamic resource allocation): named when it lists any claim. */
    void resourceClaims(JsonParser p) {
        if (nonEmpty(p)) {
            ignored.add("spec.resourceClaims: dynamic resource allocation is not scheduled; the claims are neither"
                    + " allocated nor checked against the node");
        }
    }

    /** Whether nothing is listed (a bound pod: nothing but volumes and gates counts). */
    boolean isEmpty(boolean bound) {
        return volumes.isEmpty() && gates.isEmpty() && (bound || ignored.isEmpty());
    }

    /** The volumes; a generic ephemeral volume's claim is {@code <pod name>-<volume name>}. */
    List<PodVolume> volumes(String podName) {
        List<PodVolume> out = new ArrayList<>(volumes.size());
        for (PodVolume v : volumes) {
            out.add(
                    v.source() == Source.EPHEMERAL
                            ? new PodVolume(v.name(), Source.EPHEMERAL, podName + "-" + v.name(), null, v.readOnly())
                            : v);
        }
        return out;
    }

    List<String> gates() {
        return gates;
    }

    List<String> ignored() {
        return ignored;
    }

    /**
     * The volume; the disk id is what kube-scheduler 1.20's VolumeRestrictions compares: the GCE PD name, the EBS
     * volume ID, the iSCSI IQN (alone: one IQN is one target whatever the portal), RBD {@code pool/image@monitors}
     * (the Ceph monitors sorted, distinct, joined by {@code ','}: 1.20 requires them to overlap), an inline CSI
     * volume's driver.
     */
    private static PodVolume volume(String name, Source source, SourceFields f) {
        return switch (source) {
            case CLAIM -> PodVolume.claim(name, f.claimName, f.readOnly);
            case EPHEMERAL -> new PodVolume(name, source, "", null, false); // claim named once the pod's name is known
            case GCE_PD -> new PodVolume(name, source, null, f.pdName, f.readOnly);
            case AWS_EBS -> new PodVolume(name, source, null, f.volumeId, f.readOnly);
            case ISCSI -> new PodVolume(name, source, null, f.iqn, f.readOnly);
            case RBD -> new PodVolume(name, source, null, f.pool + "/" + f.image + "@" + f.monitors, f.readOnly);
            case CSI_INLINE -> new PodVolume(name, source, null, f.driver, f.readOnly);
            case OTHER -> new PodVolume(name, source, null, null, f.readOnly);
        };
    }

    private static SourceFields fields(JsonParser p) {
        SourceFields f = new SourceFields();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "claimName" -> f.claimName = p.getValueAsString();
                case "pdName" -> f.pdName = p.getValueAsString();
                case "volumeID" -> f.volumeId = p.getValueAsString();
                case "iqn" -> f.iqn = p.getValueAsString();
                case "pool" -> f.pool = p.getValueAsString();
                case "image" -> f.image = p.getValueAsString();
                case "monitors" -> f.monitors = strings(p);
                case "driver" -> f.driver = p.getValueAsString();
                case "readOnly" -> f.readOnly = v == JsonToken.VALUE_TRUE;
                default -> p.skipChildren();
            }
        }
        return f;
    }

    /**
     * The strings of the array the parser is on, sorted, distinct and joined by {@code ','} ("" for none or not an
     * array); leaves the parser on its end.
     */
    private static String strings(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return "";
        }
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IllegalArgumentException("truncated pod JSON");
            }
            if (t == JsonToken.VALUE_STRING) {
                out.add(p.getString());
            } else {
                p.skipChildren();
            }
        }
        return String.join(",", out);
    }

    /** Whether the array the parser is on lists anything; leaves the parser on its end. */
    private static boolean nonEmpty(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return false;
        }
        boolean any = false;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IllegalArgumentException("truncated pod JSON");
            }
            any = true;
            p.skipChildren();
        }
        return any;
    }
}
