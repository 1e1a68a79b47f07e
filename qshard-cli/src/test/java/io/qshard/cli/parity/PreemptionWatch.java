package io.qshard.cli.parity;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every version of one preemptor, from a watch started at its creation's resourceVersion: the nominated nodes it was
 * given, in order (a nomination a scheduler writes and clears again before a poll would see it is kept), the node
 * it was bound to, and whether it was nominated before it was bound. Thread-safe: the watch thread records, the test thread reads.
 */
final class PreemptionWatch implements Watcher<Pod>, AutoCloseable {
    private final List<String> nominations = new ArrayList<>();
    private final Watch watch;
    private String bound;
    private boolean nominatedBeforeBound;
    private Pod last;
    private String failure;

    /** Watches {@code ns/name} from {@code resourceVersion} (the one its create returned). */
    PreemptionWatch(KubernetesClient admin, String ns, String name, String resourceVersion) {
        this.watch = admin.pods()
                .inNamespace(ns)
                .withName(name)
                .watch(
                        new ListOptionsBuilder()
                                .withResourceVersion(resourceVersion)
                                .build(),
                        this);
    }

    @Override
    public synchronized void eventReceived(Action action, Pod pod) {
        if (action == Action.ERROR || action == Action.BOOKMARK) {
            return;
        }
        last = pod;
        String nnn = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        if (nnn != null && !nnn.isEmpty() && !nnn.equals(lastNomination())) {
            nominations.add(nnn);
        }
        if (pod.getSpec().getNodeName() != null && bound == null) {
            bound = pod.getSpec().getNodeName();
            nominatedBeforeBound = !nominations.isEmpty();
        }
    }

    private String lastNomination() {
        return nominations.isEmpty() ? null : nominations.get(nominations.size() - 1);
    }

    @Override
    public synchronized void onClose(WatcherException cause) {
        failure = cause.getMessage(); // the client has given up reconnecting
    }

    /** Why the watch ended before the test closed it, or null. */
    synchronized String failure() {
        return failure;
    }

    /** The distinct nominated node names seen, in order (a repeat of the same name counts once). */
    synchronized List<String> nominations() {
        return List.copyOf(nominations);
    }

    /** The node it was bound to, or null. */
    synchronized String bound() {
        return bound;
    }

    /** Whether a nomination was seen before (or with) the binding. */
    synchronized boolean nominatedBeforeBound() {
        return nominatedBeforeBound;
    }

    /** The last version seen, or null. */
    synchronized Pod last() {
        return last;
    }

    @Override
    public void close() {
        watch.close();
    }
}
