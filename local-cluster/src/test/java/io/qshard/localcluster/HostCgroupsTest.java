package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against fake hierarchies (plain directories); the real cgroupfs is exercised by the kubelet ITs. */
class HostCgroupsTest {

    @Test
    void createsTheRunAndItsChildrenInEveryHierarchyCopyingCpusetsDown(@TempDir Path root) throws IOException {
        for (String h : List.of("cpu", "cpuset", "memory")) {
            Files.createDirectories(root.resolve(h));
        }
        Files.writeString(root.resolve("cpuset/cpuset.cpus"), "0-1\n");
        Files.writeString(root.resolve("cpuset/cpuset.mems"), "0\n");
        HostCgroups cg = new HostCgroups(root, "qshard-kl-ab12cd34");

        cg.create(List.of("n1", "sys-n1"));

        for (String h : List.of("cpu", "cpuset", "memory")) {
            assertThat(root.resolve(h).resolve("qshard-kl-ab12cd34/n1")).isDirectory();
            assertThat(root.resolve(h).resolve("qshard-kl-ab12cd34/sys-n1")).isDirectory();
        }
        assertThat(root.resolve("cpuset/qshard-kl-ab12cd34/cpuset.cpus")).hasContent("0-1");
        assertThat(root.resolve("cpuset/qshard-kl-ab12cd34/n1/cpuset.mems")).hasContent("0");
        assertThat(root.resolve("cpu/qshard-kl-ab12cd34/cpuset.cpus")).doesNotExist();
    }

    @Test
    void listsDirectoriesDeepestFirstAndCollectsPidsFromEveryLevel(@TempDir Path root) throws IOException {
        Path top = Files.createDirectories(root.resolve("pids/qshard-kl-ab12cd34"));
        Path pod = Files.createDirectories(top.resolve("n1/kubepods/podx"));
        Files.writeString(top.resolve("cgroup.procs"), "");
        Files.writeString(top.resolve("n1/cgroup.procs"), "12\n");
        Files.writeString(pod.resolve("cgroup.procs"), "34\n56\n");
        Files.createDirectories(root.resolve("pids/other/n1"));
        HostCgroups cg = new HostCgroups(root, "qshard-kl-ab12cd34");

        assertThat(cg.directories()).first().isEqualTo(pod);
        assertThat(cg.directories()).last().isEqualTo(top);
        assertThat(cg.pids()).containsExactly(12L, 34L, 56L);
        assertThat(cg.freeze(true)).as("no freezer hierarchy").isFalse();
    }

    @Test
    void removesEmptyDirectoriesAndReportsTheRest(@TempDir Path root) throws IOException {
        Path top = Files.createDirectories(root.resolve("cpu/qshard-kl-ab12cd34/n1"));
        Files.writeString(top.resolve("busy"), "a file keeps this directory (as a process keeps a cgroup)");
        Files.createDirectories(root.resolve("memory/qshard-kl-ab12cd34/n1"));
        HostCgroups cg = new HostCgroups(root, "qshard-kl-ab12cd34");

        List<Path> left = cg.removeOnce();

        assertThat(left).containsExactlyInAnyOrder(top, top.getParent());
        assertThat(root.resolve("memory/qshard-kl-ab12cd34")).doesNotExist();
    }
}
