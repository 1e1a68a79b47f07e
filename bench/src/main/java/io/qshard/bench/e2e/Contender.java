package io.qshard.bench.e2e;

import java.nio.file.Path;

/** Something that binds a namespace's backlog: a scheduler process, or the raw binding client. */
interface Contender extends AutoCloseable {
    /** Short name for the report. */
    String name();

    /** The schedulerName its pods carry. */
    String schedulerName();

    /** Starts binding the pods of {@code namespace} on the cluster of {@code kubeconfig}. */
    void start(Path kubeconfig, String namespace) throws Exception;

    /** Prepares for another round (a contender is started and closed once per round). */
    default void reset() {}

    /** Pids of its processes (CPU accounting); empty when it runs inside the harness's JVM. */
    default java.util.List<Long> pids() {
        return java.util.List.of();
    }

    @Override
    void close();
}
