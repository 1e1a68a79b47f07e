package io.qshard.core.volume;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.NodeSelectorTerm;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test builders of claims, PVs, classes and catalogs; sizes in GiB. */
public final class Volumes {
    public static final long GI = 1L << 30;
    public static final String HOSTNAME = "kubernetes.io/hostname";

    private Volumes() {}

    /** A pending claim {@code ns/name} of 1 GiB, ReadWriteOnce, class "" (uid = name). */
    public static ClaimBuilder claim(String ns, String name) {
        return new ClaimBuilder(ns, name);
    }

    /** An Available PV of 1 GiB, ReadWriteOnce, class "", no node affinity. */
    public static VolumeBuilder pv(String name) {
        return new VolumeBuilder(name);
    }

    /** A WaitForFirstConsumer class. */
    public static StorageClass wffc(String name, String provisioner, NodeSelectorTerm... allowed) {
        return new StorageClass(name, provisioner, true, List.of(allowed));
    }

    /** An Immediate class. */
    public static StorageClass immediate(String name, String provisioner) {
        return new StorageClass(name, provisioner, false, List.of());
    }

    /** A term {@code key In values}. */
    public static NodeSelectorTerm in(String key, String... values) {
        return new NodeSelectorTerm(
                List.of(new NodeSelectorRequirement(key, NodeSelectorRequirement.Operator.IN, List.of(values))));
    }

    /** {@code pod} with one persistentVolumeClaim volume per claim name (volume names v0, v1, …). */
    public static PodRequest withClaims(PodRequest pod, String... claims) {
        List<PodVolume> vols = new ArrayList<>();
        for (int i = 0; i < claims.length; i++) {
            vols.add(PodVolume.claim("v" + i, claims[i], false));
        }
        return withVolumes(pod, vols);
    }

    /** {@code pod} with these volumes. */
    public static PodRequest withVolumes(PodRequest pod, List<PodVolume> vols) {
        return pod.withDetails(new PodDetails(-1, -1, List.of(), vols, List.of(), List.of()));
    }

    /** A catalog of these objects, every source listed. */
    public static VolumeCatalog catalog(Object... objects) {
        VolumeIndex index = new VolumeIndex();
        index.sources(VolumeSources.READY);
        for (Object o : objects) {
            if (o instanceof VolumeClaim c) {
                index.upsertClaim(c);
            } else if (o instanceof ClaimBuilder b) {
                index.upsertClaim(b.build());
            } else if (o instanceof PersistentVolume v) {
                index.upsertVolume(v);
            } else if (o instanceof VolumeBuilder b) {
                index.upsertVolume(b.build());
            } else if (o instanceof StorageClass sc) {
                index.storageClass(sc.name(), sc);
            } else if (o instanceof CsiNodeLimits l) {
                index.csiNode(l.node(), l);
            } else {
                throw new IllegalArgumentException("not a volume object: " + o);
            }
        }
        return index.catalog();
    }

    /** Builds a {@link VolumeClaim}. */
    public static final class ClaimBuilder {
        private final String ns;
        private final String name;
        private String uid;
        private String sc = "";
        private String volumeName = "";
        private List<String> modes = List.of("ReadWriteOnce");
        private long bytes = GI;
        private boolean block;
        private LabelSelector selector;
        private boolean deleting;
        private String selectedNode;
        private boolean bindCompleted;
        private String controller;

        ClaimBuilder(String ns, String name) {
            this.ns = ns;
            this.name = name;
            this.uid = "uid-" + name;
        }

        public ClaimBuilder storageClass(String s) {
            this.sc = s;
            return this;
        }

        /** Bound to {@code pv} by the PV controller (volumeName and bind-completed). */
        public ClaimBuilder boundTo(String pv) {
            this.volumeName = pv;
            this.bindCompleted = true;
            return this;
        }

        /** {@code spec.volumeName} set by the user, not yet bound by the controller. */
        public ClaimBuilder preBoundTo(String pv) {
            this.volumeName = pv;
            return this;
        }

        public ClaimBuilder gi(long gi) {
            this.bytes = gi * GI;
            return this;
        }

        public ClaimBuilder modes(String... m) {
            this.modes = List.of(m);
            return this;
        }

        public ClaimBuilder block() {
            this.block = true;
            return this;
        }

        public ClaimBuilder selector(String k, String v) {
            this.selector = LabelSelector.of(Map.of(k, v), List.of());
            return this;
        }

        public ClaimBuilder deleting() {
            this.deleting = true;
            return this;
        }

        public ClaimBuilder selectedNode(String n) {
            this.selectedNode = n;
            return this;
        }

        public ClaimBuilder controller(String podUid) {
            this.controller = podUid;
            return this;
        }

        public VolumeClaim build() {
            return new VolumeClaim(
                    ns,
                    name,
                    uid,
                    sc,
                    volumeName,
                    bindCompleted ? "Bound" : "Pending",
                    modes,
                    bytes,
                    block,
                    selector,
                    deleting,
                    selectedNode,
                    bindCompleted,
                    controller,
                    "");
        }
    }

    /** Builds a {@link PersistentVolume}. */
    public static final class VolumeBuilder {
        private final String name;
        private String sc = "";
        private long bytes = GI;
        private List<String> modes = List.of("ReadWriteOnce");
        private boolean block;
        private final List<NodeSelectorTerm> affinity = new ArrayList<>();
        private final Map<String, String> labels = new HashMap<>();
        private PersistentVolume.ClaimRef claimRef;
        private String phase = PersistentVolume.AVAILABLE;
        private boolean deleting;
        private String driver;
        private String handle;

        VolumeBuilder(String name) {
            this.name = name;
        }

        public VolumeBuilder storageClass(String s) {
            this.sc = s;
            return this;
        }

        public VolumeBuilder gi(long gi) {
            this.bytes = gi * GI;
            return this;
        }

        public VolumeBuilder modes(String... m) {
            this.modes = List.of(m);
            return this;
        }

        public VolumeBuilder block() {
            this.block = true;
            return this;
        }

        /** Node affinity {@code kubernetes.io/hostname In [node]} (a local PV). */
        public VolumeBuilder on(String node) {
            affinity.add(in(HOSTNAME, node));
            return this;
        }

        public VolumeBuilder affinity(NodeSelectorTerm t) {
            affinity.add(t);
            return this;
        }

        public VolumeBuilder label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        /** Bound (phase Bound) to the claim {@code ns/claim} with uid {@code uid-<claim>}. */
        public VolumeBuilder boundTo(String ns, String claim) {
            this.claimRef = new PersistentVolume.ClaimRef(ns, claim, "uid-" + claim);
            this.phase = "Bound";
            return this;
        }

        /** Pre-bound by the user to {@code ns/claim} (claimRef without uid), still Available. */
        public VolumeBuilder preBoundTo(String ns, String claim) {
            this.claimRef = new PersistentVolume.ClaimRef(ns, claim, "");
            return this;
        }

        public VolumeBuilder phase(String p) {
            this.phase = p;
            return this;
        }

        public VolumeBuilder deleting() {
            this.deleting = true;
            return this;
        }

        public VolumeBuilder csi(String d, String h) {
            this.driver = d;
            this.handle = h;
            return this;
        }

        public PersistentVolume build() {
            return new PersistentVolume(
                    name, sc, bytes, modes, block, affinity, labels, claimRef, phase, deleting, driver, handle, "");
        }
    }
}
