package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @Test
    void reapsRunsWhoseOwnerIsDeadAndKeepsLiveOnes(@TempDir Path base) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path dead = run(base, "dead", finished.pid());
        Path live = run(base, "live", ProcessHandle.current().pid());
        Files.writeString(dead.resolve("etcd-data"), "x");

        assertThat(RunDirectory.reapStale(base)).isEqualTo(1);

        assertThat(dead).doesNotExist();
        assertThat(live).exists();
    }

    @Test
    void doesNotKillAProcessWhoseCommandLineDoesNotNameTheRun(@TempDir Path base) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path dead = run(base, "dead", finished.pid());
        Process bystander = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(dead.resolve("children.pids"), bystander.pid() + "\n");
            RunDirectory.reapStale(base);
            assertThat(bystander.isAlive())
                    .as("a recycled pid must not be killed")
                    .isTrue();
            assertThat(dead).doesNotExist();
        } finally {
            bystander.destroyForcibly();
        }
    }

    private static Path run(Path base, String name, long owner) throws IOException {
        Path dir = Files.createDirectory(base.resolve(RunDirectory.PREFIX + name));
        Files.writeString(dir.resolve("owner.pid"), Long.toString(owner));
        return dir;
    }
}
