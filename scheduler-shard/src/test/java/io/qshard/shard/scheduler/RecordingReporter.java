package io.qshard.shard.scheduler;

import io.qshard.core.model.PodRequest;
import io.qshard.shard.status.StatusReporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StatusReporter} that keeps what it was told ("scheduled ns/name node", "unschedulable ns/name: why"). */
final class RecordingReporter implements StatusReporter {
    final List<String> reports = new CopyOnWriteArrayList<>();

    @Override
    public void scheduled(PodRequest pod, String node) {
        reports.add("scheduled " + pod.key() + " " + node);
    }

    @Override
    public void unschedulable(PodRequest pod, String message) {
        reports.add("unschedulable " + pod.key() + ": " + message);
    }

    @Override
    public void forget(String uid) {}

    @Override
    public long written() {
        return reports.size();
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public void close() {}
}
