package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletRunTest {

    @Test
    void aRunWhoseOwnerDiedIsStaleAndALiveOneIsNot(@TempDir Path base) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path dead = Files.createDirectory(base.resolve("qshard-kl-dead0000"));
        Files.writeString(dead.resolve(KubeletRun.OWNER), Long.toString(finished.pid()));
        Path live = Files.createDirectory(base.resolve("qshard-kl-live0000"));
        Files.writeString(
                live.resolve(KubeletRun.OWNER),
                Long.toString(ProcessHandle.current().pid()));

        assertThat(KubeletRun.ownerAlive(dead)).isFalse();
        assertThat(KubeletRun.ownerAlive(live)).isTrue();
    }

    @Test
    void aLivePidWithAnotherStartTimeIsARecycledPidNotTheOwner(@TempDir Path base) throws Exception {
        long self = ProcessHandle.current().pid();
        long started = KubeletRun.startTicks(self);
        assertThat(started).isPositive();
        Path recycled = Files.createDirectory(base.resolve("qshard-kl-recy0000"));
        Files.writeString(recycled.resolve(KubeletRun.OWNER), Long.toString(self));
        Files.writeString(recycled.resolve(KubeletRun.OWNER_START), Long.toString(started + 1));
        Path owned = Files.createDirectory(base.resolve("qshard-kl-ownd0000"));
        Files.writeString(owned.resolve(KubeletRun.OWNER), Long.toString(self));
        Files.writeString(owned.resolve(KubeletRun.OWNER_START), Long.toString(started));

        assertThat(KubeletRun.ownerAlive(recycled)).isFalse();
        assertThat(KubeletRun.ownerAlive(owned)).isTrue();
    }

    @Test
    void theStartTimeIsField22EvenWithSpacesAndParenthesesInTheCommand() {
        String stat = "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 3 0 987654 1000 50";
        assertThat(KubeletRun.startTicks(stat)).isEqualTo(987654);
        assertThat(KubeletRun.startTicks("4242 (short) S 1 2")).isEqualTo(-1);
    }

    @Test
    void aRunWhoseCgroupCannotBeRemovedKeepsItsDirectoryAndSkipsTornPidLines(@TempDir Path base) throws IOException {
        Path run = Files.createDirectories(base.resolve("tmp/qshard-kl-busy0000"));
        Files.writeString(run.resolve(KubeletRun.CGROUP), "qshard-kl-busy0000");
        Files.writeString(run.resolve(KubeletRun.CHILDREN), "12x\n\n");
        Path cgroupRoot = base.resolve("cgroup");
        Path busy = Files.createDirectories(cgroupRoot.resolve("cpu/qshard-kl-busy0000/n1"));
        Files.writeString(busy.resolve("tasks"), ""); // a regular file: rmdir of the directory fails
        Path net = Files.createDirectories(base.resolve("net"));

        String summary = KubeletTeardown.sweep(run, cgroupRoot, net, Duration.ZERO);

        assertThat(run).isDirectory();
        assertThat(summary)
                .contains("0 daemon(s) stopped")
                .contains("cgroups NOT removed")
                .contains("run directory kept")
                .contains(busy.toString());

        Files.delete(busy.resolve("tasks"));
        assertThat(KubeletTeardown.sweep(run, cgroupRoot, net, Duration.ZERO)).contains("cgroups removed");
        assertThat(run).doesNotExist();
        assertThat(cgroupRoot.resolve("cpu/qshard-kl-busy0000")).doesNotExist();
    }

    @Test
    void theCgroupNameFallsBackToTheDirectoryAndRejectsAnythingElse(@TempDir Path base) throws IOException {
        Path run = Files.createDirectory(base.resolve("qshard-kl-nocg0000"));
        assertThat(KubeletTeardown.cgroupName(run)).contains("qshard-kl-nocg0000");
        Files.writeString(run.resolve(KubeletRun.CGROUP), "../../etc");
        assertThat(KubeletTeardown.cgroupName(run)).contains("qshard-kl-nocg0000");
        assertThat(KubeletTeardown.cgroupName(Files.createDirectory(base.resolve("other"))))
                .isEmpty();
    }

    @Test
    void aSweptRunWithoutCgroupsOrBridgesLeavesNoDirectory(@TempDir Path base) throws IOException {
        Path run = Files.createDirectory(base.resolve("qshard-kl-gone0000"));
        Files.writeString(run.resolve(KubeletRun.CGROUP), "qshard-kl-gone0000");
        Files.createDirectories(run.resolve("n1/logs"));

        String summary = KubeletTeardown.sweep(run);

        assertThat(run).doesNotExist();
        assertThat(summary).contains("0 daemon(s) stopped").contains("cgroups removed");
    }

    @Test
    void idsAreEightBase36Characters() {
        assertThat(KubeletRun.newId()).matches("[0-9a-z]{8}");
        assertThat(KubeletRun.newId()).isNotEqualTo(KubeletRun.newId());
    }

    @Test
    void aZombieOrAMissingProcessIsNotAlive() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        assertThat(KubeletTeardown.alive(finished.pid())).isFalse();
        assertThat(KubeletTeardown.alive(ProcessHandle.current().pid())).isTrue();
    }
}
