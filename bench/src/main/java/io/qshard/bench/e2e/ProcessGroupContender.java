package io.qshard.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Several processes that together bind one backlog (the shards of a tier, one process each); started and closed together. */
final class ProcessGroupContender implements Contender {
    private final String name;
    private final String schedulerName;
    private final List<ProcessContender> members;

    ProcessGroupContender(String name, String schedulerName, List<ProcessContender> members) {
        this.name = name;
        this.schedulerName = schedulerName;
        this.members = List.copyOf(members);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String schedulerName() {
        return schedulerName;
    }

    @Override
    public void start(Path kubeconfig, String namespace) throws Exception {
        for (ProcessContender m : members) {
            m.start(kubeconfig, namespace);
        }
    }

    @Override
    public void reset() {
        members.forEach(ProcessContender::reset);
    }

    @Override
    public List<Long> pids() {
        List<Long> out = new ArrayList<>();
        members.forEach(m -> out.addAll(m.pids()));
        return out;
    }

    @Override
    public void close() {
        members.forEach(ProcessContender::close);
    }
}
