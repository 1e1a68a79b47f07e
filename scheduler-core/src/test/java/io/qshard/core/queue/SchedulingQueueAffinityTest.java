package io.qshard.core.queue;

import static io.qshard.core.testing.Fixtures.T0;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link SchedulingQueue#onAssignedPod}: 1.20's requeue of the pods whose required affinity a bound pod meets. */
class SchedulingQueueAffinityTest {
    private final TestClock clock = new TestClock(T0);
    private final SchedulingQueue q = new SchedulingQueue(clock, BackoffPolicy.defaults(), Duration.ofSeconds(60));

    private static PodAffinityTerm term(String app, Set<String> namespaces, LabelSelector namespaceSelector) {
        return new PodAffinityTerm(
                LabelSelector.of(Map.of("app", app), List.of()), namespaces, namespaceSelector, "zone");
    }

    private static PodAffinityTerm term(String app) {
        return term(app, Set.of("ns"), null);
    }

    /** A pending pod (namespace "ns") with these required affinity terms and these preferred ones. */
    private static PodRequest pending(String uid, List<PodAffinityTerm> required, List<PodAffinityTerm> preferred) {
        List<PodAffinity.Weighted> weighted = new ArrayList<>();
        preferred.forEach(t -> weighted.add(new PodAffinity.Weighted(10, t)));
        return pod(uid, "prod", 1, 0)
                .build()
                .withTopology(Map.of(), new PodAffinity(required, weighted, List.of(), List.of()), List.of());
    }

    private static PodRequest pending(String uid, PodAffinityTerm... required) {
        return pending(uid, List.of(required), List.of());
    }

    /** A pod bound to node n1 in {@code namespace} with {@code labels}. */
    private static PodRequest bound(String namespace, Map<String, String> labels) {
        return new PodRequest(
                "bound-" + labels.hashCode() + namespace,
                namespace,
                "b",
                null,
                PoolRule.ALLOCATABLE,
                new Resources(1, 1, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                0,
                T0,
                null,
                "n1",
                labels,
                null,
                List.of(),
                false);
    }

    /** Adds the pods, pops each once and has it found unschedulable. */
    private void unschedulable(PodRequest... pods) {
        for (PodRequest p : pods) {
            q.add(p);
        }
        for (int i = 0; i < pods.length; i++) {
            q.requeueUnschedulable(q.pop().orElseThrow());
        }
        assertThat(q.sizes().unschedulable()).isEqualTo(pods.length);
    }

    private List<String> popAll() {
        List<String> uids = new ArrayList<>();
        for (Optional<QueuedPod> p; (p = q.pop()).isPresent(); ) {
            uids.add(p.get().uid());
        }
        return uids;
    }

    @Test
    void onlyPodsWhoseRequiredTermSelectsTheBoundPodMove() {
        unschedulable(
                pending("wants-x", term("x")),
                pending("wants-y", term("y")),
                pending("wants-x-elsewhere", term("x", Set.of("other"), null)),
                pending("prefers-x", List.of(), List.of(term("x"))), // preferred terms do not count in 1.20
                pod("plain", "prod", 1, 0).build());
        clock.advance(Duration.ofSeconds(2)); // every backoff over, far from the 60 s timeout

        q.onAssignedPod(bound("ns", Map.of("app", "x", "tier", "web")));

        assertThat(popAll()).containsExactly("wants-x");
        assertThat(q.sizes().unschedulable()).isEqualTo(4);
    }

    @Test
    void anyOneTermSufficesAndTheNamespaceDecides() {
        unschedulable(
                pending("x-then-y", term("x"), term("y")),
                pending("y-in-other", term("y", Set.of("other"), null)),
                pending("y-any-namespace", term("y", Set.of(), LabelSelector.EVERYTHING)),
                pending("z-any-namespace", term("z", Set.of(), LabelSelector.of(Map.of("team", "a"), List.of()))));
        clock.advance(Duration.ofSeconds(2));

        q.onAssignedPod(bound("other", Map.of("app", "y")));

        // a namespaceSelector is taken to select every namespace (the queue knows no namespace labels); its label
        // selector still has to match: z's term does not select app=y
        assertThat(popAll()).containsExactlyInAnyOrder("y-in-other", "y-any-namespace");
        q.onAssignedPod(bound("ns", Map.of("app", "y"))); // x-then-y: its second term selects it
        assertThat(popAll()).containsExactly("x-then-y");
        assertThat(q.sizes().unschedulable()).isEqualTo(1);
    }

    @Test
    void aMovedPodStillWaitsOutItsBackoff() {
        unschedulable(pending("p", term("x")));
        q.onAssignedPod(bound("ns", Map.of("app", "x"))); // at once: the 1 s backoff of its first failure is not over
        assertThat(q.sizes().backoff()).isEqualTo(1);
        assertThat(q.pop()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(popAll()).containsExactly("p");
    }

    @Test
    void aBoundPartnerDuringTheAttemptSendsTheInFlightPodToBackoff() {
        q.add(pending("partnered", term("x")));
        q.add(pending("other-term", term("y")));
        q.add(pod("plain", "prod", 1, 0).build());
        List<QueuedPod> inFlight =
                List.of(q.pop().orElseThrow(), q.pop().orElseThrow(), q.pop().orElseThrow());

        q.onAssignedPod(bound("ns", Map.of("app", "x"))); // lands while the three are being decided
        inFlight.forEach(q::requeueUnschedulable);

        // only the pod the event concerned is retried; the others wait for their own event
        assertThat(q.sizes().backoff()).isEqualTo(1);
        assertThat(q.sizes().unschedulable()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(popAll()).containsExactly("partnered");
    }

    @Test
    void anInFlightPodUpdatedToRequireAffinityIsConsideredByItsLatestVersion() {
        q.add(pod("p", "prod", 1, 0).build());
        QueuedPod popped = q.pop().orElseThrow();
        q.update(pending("p", term("x"))); // while being decided
        q.onAssignedPod(bound("ns", Map.of("app", "x")));
        q.requeueUnschedulable(popped);
        assertThat(q.sizes().backoff()).isEqualTo(1);
    }

    @Test
    void aPartnerBoundDuringOneAttemptDoesNotExcuseTheNext() {
        q.add(pending("p", term("x")));
        QueuedPod first = q.pop().orElseThrow();
        q.onAssignedPod(bound("ns", Map.of("app", "x")));
        q.requeueUnschedulable(first); // → backoff, the mark is used up
        clock.advance(Duration.ofSeconds(1));
        q.requeueUnschedulable(q.pop().orElseThrow()); // second attempt, no event meanwhile
        assertThat(q.sizes().unschedulable()).isEqualTo(1);
    }

    @Test
    void podsThatLeftTheUnschedulableSetAreNotBroughtBack() {
        unschedulable(pending("deleted", term("x")), pending("timed-out", term("x")), pending("updated", term("x")));
        q.delete("deleted");
        clock.advance(Duration.ofSeconds(2));
        q.update(pending("updated", term("x"))); // an update gives it another try: now active
        assertThat(q.pop().orElseThrow().uid()).isEqualTo("updated");
        q.done("updated"); // placed
        clock.advance(Duration.ofSeconds(60)); // timed-out moves to active on the timeout
        assertThat(q.pop().orElseThrow().uid()).isEqualTo("timed-out");
        q.done("timed-out");

        q.onAssignedPod(bound("ns", Map.of("app", "x")));

        assertThat(q.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 0, 0, 0));
        assertThat(q.pop()).isEmpty();
    }

    @Test
    void aPodDeletedInFlightStaysDeleted() {
        q.add(pending("p", term("x")));
        QueuedPod popped = q.pop().orElseThrow();
        q.delete("p");
        q.onAssignedPod(bound("ns", Map.of("app", "x")));
        q.requeueUnschedulable(popped);
        assertThat(q.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 0, 0, 0));
    }
}
