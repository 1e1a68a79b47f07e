package io.qshard.agent.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the kubelet's pod cgroups live, for both drivers' naming. Paths are relative to a controller's hierarchy
 * (cgroup v1: {@code <root>/<controller>/<relative>}) or to the unified hierarchy (v2: {@code <root>/<relative>}),
 * below an optional parent (a private subtree in tests; empty on a real node):
 * <pre>
 *                 cgroupfs                        systemd
 * kubepods        kubepods                        kubepods.slice
 * burstable       kubepods/burstable              kubepods.slice/kubepods-burstable.slice
 * guaranteed pod  kubepods/pod&lt;uid&gt;               kubepods.slice/kubepods-pod&lt;uid_&gt;.slice
 * besteffort pod  kubepods/besteffort/pod&lt;uid&gt;    kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod&lt;uid_&gt;.slice
 * </pre>
 * ({@code uid_}: the systemd driver writes the uid's dashes as underscores.) Immutable and thread-safe.
 */
public final class CgroupLayout {
    private static final Pattern CGROUPFS_POD = Pattern.compile("pod([0-9a-fA-F-]{8,64})");
    private static final Pattern SYSTEMD_POD =
            Pattern.compile("kubepods(?:-(?:burstable|besteffort))?-pod([0-9a-fA-F_]{8,64})\\.slice");

    private final CgroupDriver driver;
    private final String parent;

    /**
     * @param driver the kubelet's cgroup driver
     * @param parent path below the hierarchy root that holds kubepods, e.g. {@code qshard-it-1} ({@code ""}: none)
     */
    public CgroupLayout(CgroupDriver driver, String parent) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.parent = parent == null ? "" : parent.replaceAll("^/+|/+$", "");
    }

    public CgroupDriver driver() {
        return driver;
    }

    /** @return the kubepods cgroup, relative */
    public String kubepods() {
        return join(parent, driver == CgroupDriver.CGROUPFS ? "kubepods" : "kubepods.slice");
    }

    /** @return the parent of a class's pods (kubepods itself for Guaranteed), relative */
    public String classParent(QosClass qos) {
        if (qos == QosClass.GUARANTEED) {
            return kubepods();
        }
        return join(
                kubepods(), driver == CgroupDriver.CGROUPFS ? qos.segment() : "kubepods-" + qos.segment() + ".slice");
    }

    /** @return the cgroup of the pod with {@code uid} in class {@code qos}, relative */
    public String pod(QosClass qos, String uid) {
        if (driver == CgroupDriver.CGROUPFS) {
            return join(classParent(qos), "pod" + uid);
        }
        String prefix = qos == QosClass.GUARANTEED ? "kubepods-pod" : "kubepods-" + qos.segment() + "-pod";
        return join(classParent(qos), prefix + uid.replace('-', '_') + ".slice");
    }

    /**
     * The pod cgroups present under {@code hierarchy} (a controller's root in v1, the unified root in v2).
     *
     * @throws IOException when a class parent exists but cannot be listed
     */
    public List<PodCgroup> pods(Path hierarchy) throws IOException {
        List<PodCgroup> out = new ArrayList<>();
        for (QosClass qos : QosClass.values()) {
            Path dir = hierarchy.resolve(classParent(qos));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                for (Path child : children.filter(Files::isDirectory).toList()) {
                    String uid = uidOf(child.getFileName().toString());
                    if (uid != null) {
                        out.add(new PodCgroup(
                                uid,
                                qos,
                                join(classParent(qos), child.getFileName().toString())));
                    }
                }
            }
        }
        return out;
    }

    /** @return the pod uid a cgroup directory name stands for, or null when it is not a pod's */
    String uidOf(String dirName) {
        Matcher m = (driver == CgroupDriver.CGROUPFS ? CGROUPFS_POD : SYSTEMD_POD).matcher(dirName);
        if (!m.matches()) {
            return null;
        }
        return driver == CgroupDriver.CGROUPFS ? m.group(1) : m.group(1).replace('_', '-');
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "/" + b;
    }
}
