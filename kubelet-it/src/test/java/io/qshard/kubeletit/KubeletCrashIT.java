package io.qshard.kubeletit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.localcluster.KubeletRun;
import io.qshard.localcluster.KubeletSupport;
import io.qshard.localcluster.LocalClusterMain;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.ProcessOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM running a kubelet node with a busy-loop pod is stopped with SIGTERM (the shutdown hooks sweep the run) or
 * SIGKILL (no Java code runs: pdeathsig kills the kubelet and containerd, but the shim and the busy loop outlive them
 * — which is why the sweep goes by cgroup — until the next start's reaper runs). Either way nothing is left: no
 * process in the run's cgroups, no cgroup, bridge, mount, changed sysctl or run directory. The same holds for a
 * SIGTERM while the node is still starting (the shutdown hook waits until the start has stopped, then sweeps).
 */
class KubeletCrashIT {
    private static final List<String> SYSCTLS = List.of(
            "vm/overcommit_memory",
            "vm/panic_on_oom",
            "kernel/panic",
            "kernel/panic_on_oops",
            "kernel/keys/root_maxkeys",
            "kernel/keys/root_maxbytes",
            "net/ipv4/ip_forward");

    @BeforeAll
    static void needsAKubeletCapableMachine() {
        Optional<String> reason = KubeletSupport.unavailable();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "this machine cannot run a kubelet: " + reason.orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void aStoppedJvmLeavesNothingOfItsKubeletNodeBehind(String signal) throws IOException {
        List<String> sysctlsBefore = sysctls();
        Process jvm = child("--kubelet-nodes", "1", "--busy-pod");
        List<String> out = new CopyOnWriteArrayList<>();
        ProcessOutput.drain(jvm, out);
        try {
            await().atMost(Duration.ofSeconds(150)).until(() -> out.contains("ready") || !jvm.isAlive());
            assertThat(out).as("child output").contains("ready");
            Path runDir = Path.of(value(out, "kubelet-run-dir="));
            String cgroup = runDir.getFileName().toString();
            String bridge = Files.readString(runDir.resolve("bridges")).trim();
            List<Long> daemons = out.stream()
                    .filter(l -> l.startsWith("kubelet-pid "))
                    .map(l -> Long.parseLong(l.replaceFirst(".*=", "")))
                    .toList();
            String podUid = value(out, "busy-pod-uid=");
            List<Long> busy = procs(Path.of("/sys/fs/cgroup/pids", cgroup, "n1/kubepods/pod" + podUid));
            List<Long> shims = new ArrayList<>(procs(Path.of("/sys/fs/cgroup/pids", cgroup, "sys-n1")));
            shims.removeAll(daemons);
            assertThat(daemons).hasSize(2).allMatch(KubeletCrashIT::alive);
            assertThat(busy)
                    .as("busy loop (and the pause process)")
                    .isNotEmpty()
                    .allMatch(KubeletCrashIT::alive);
            assertThat(shims).as("shims").isNotEmpty();
            assertThat(Path.of("/sys/class/net", bridge)).exists();

            if (signal.equals("SIGTERM")) {
                jvm.destroy();
            } else {
                jvm.destroyForcibly();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !jvm.isAlive());
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(daemons).noneMatch(KubeletCrashIT::alive));
            if (signal.equals("SIGKILL")) {
                assertThat(busy)
                        .as("the busy loop outlives a SIGKILLed JVM: no pdeathsig reaches it")
                        .allMatch(KubeletCrashIT::alive);
                assertThat(shims).as("and so do the shims").allMatch(KubeletCrashIT::alive);
                assertThat(runDir).as("no Java code ran on SIGKILL").exists();
                assertThat(KubeletRun.reapStale()).isGreaterThanOrEqualTo(1);
                LocalControlPlane.reapStaleRuns();
            }
            assertThat(busy).as("busy loop").noneMatch(KubeletCrashIT::alive);
            assertThat(shims).as("shims").noneMatch(KubeletCrashIT::alive);
            assertThat(Path.of("/sys/class/net", bridge)).as("bridge").doesNotExist();
            assertRunGone(runDir, sysctlsBefore, out);
        } finally {
            jvm.destroyForcibly();
            KubeletRun.reapStale(); // a failed assertion above must not leave the run behind either
            LocalControlPlane.reapStaleRuns();
        }
    }

    @Test
    void aJvmStoppedWhileItsKubeletNodeStartsLeavesNothingBehind() throws IOException {
        List<String> sysctlsBefore = sysctls();
        Process jvm = child("--kubelet-nodes", "1");
        List<String> out = new CopyOnWriteArrayList<>();
        ProcessOutput.drain(jvm, out);
        try {
            Path runDir = await().atMost(Duration.ofSeconds(150))
                    .until(() -> runOf(jvm.pid()), r -> r.isPresent() || !jvm.isAlive())
                    .orElseThrow(() -> new AssertionError("no kubelet run of the child; output:\n" + out));
            // containerd and the kubelet started: the launcher is waiting for the node to be Ready
            await().atMost(Duration.ofSeconds(150))
                    .ignoreExceptions()
                    .until(() ->
                            Files.readAllLines(runDir.resolve("children.pids")).size() >= 2 || !jvm.isAlive());
            assertThat(out).as("child output").doesNotContain("ready");
            assertThat(jvm.isAlive()).as("child still starting").isTrue();

            jvm.destroy();
            await().atMost(Duration.ofSeconds(180)).until(() -> !jvm.isAlive());

            assertThat(processesNaming(runDir)).as("processes of the run").isEmpty();
            assertRunGone(runDir, sysctlsBefore, out);
        } finally {
            jvm.destroyForcibly();
            KubeletRun.reapStale();
            LocalControlPlane.reapStaleRuns();
        }
    }

    /** {@code LocalClusterMain} in a child JVM with this JVM's class path (and kubelet cache, when set). */
    private static Process child(String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("qshard.cache") != null) { // the child must find the same kubelet and image
            command.add("-Dqshard.cache=" + System.getProperty("qshard.cache"));
        }
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add(LocalClusterMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The kubelet run directory whose {@code owner.pid} names {@code pid}. */
    private static Optional<Path> runOf(long pid) throws IOException {
        try (Stream<Path> runs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return runs.filter(r -> r.getFileName().toString().startsWith(KubeletRun.PREFIX))
                    .filter(r -> {
                        try {
                            return Files.readString(r.resolve("owner.pid"))
                                    .trim()
                                    .equals(Long.toString(pid));
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .findFirst();
        }
    }

    /** Live processes whose command line names {@code dir}. */
    private static List<Long> processesNaming(Path dir) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains(dir.toString()) && alive(pid)) {
                        pids.add(pid);
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return pids;
    }

    private static String value(List<String> out, String prefix) {
        return out.stream()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + out))
                .substring(prefix.length());
    }

    /** Every pid in the cgroup and below it. */
    private static List<Long> procs(Path cgroup) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(cgroup)) {
            for (Path procs : walk.filter(p -> p.getFileName().toString().equals("cgroup.procs"))
                    .toList()) {
                Files.readAllLines(procs).stream()
                        .filter(l -> !l.isBlank())
                        .map(Long::parseLong)
                        .forEach(pids::add);
            }
        }
        return pids;
    }

    private static List<String> sysctls() throws IOException {
        List<String> values = new ArrayList<>();
        for (String s : SYSCTLS) {
            values.add(s + "=" + Files.readString(Path.of("/proc/sys", s)).trim());
        }
        return values;
    }

    /** Alive and not a zombie (PID 1 here does not reap orphans). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** No cgroup of the run in any hierarchy, no mount naming its directory, the host's sysctls as before, no run dir. */
    private static void assertRunGone(Path runDir, List<String> sysctlsBefore, List<String> out) throws IOException {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            assertThat(hierarchies.map(h -> h.resolve(runDir.getFileName().toString())))
                    .as("run cgroups; child output:%n%s", String.join("\n", out))
                    .noneMatch(Files::exists);
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(runDir.toString());
        assertThat(sysctls()).as("host sysctls").isEqualTo(sysctlsBefore);
        assertThat(runDir)
                .as("run dir removed; child output:%n%s", String.join("\n", out))
                .doesNotExist();
    }
}
