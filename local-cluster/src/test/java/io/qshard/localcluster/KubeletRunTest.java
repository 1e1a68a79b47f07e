package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
