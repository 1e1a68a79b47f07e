package io.qshard.shard.scheduler;

import io.qshard.core.model.PodRequest;
import io.qshard.core.volume.VolumeBinder;
import io.qshard.core.volume.VolumeDecision;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The pre-bind executor of a tier scheduler with node bookings on, where every pod has a PreBind step: two lanes, so
 * that a pod without volumes never queues behind VolumeBinding's waits. A pod VolumeBinding assumed volumes for runs its
 * PreBind steps (its booking, then its volume binding, which may wait up to {@code --volume-bind-timeout} for the PV
 * controller) on the volume lane; every other pod runs them (its booking only, each batch bounded by
 * {@link io.qshard.core.booking.NodeBookings#BATCH_DEADLINE}) on the booking lane.
 *
 * <p>The lane is chosen on the decision thread: {@link #recording} sees VolumeBinding's Reserve, {@link #starting} is
 * called just before the pod's binding cycle starts, and the cycle hands its PreBind over ({@link #execute}) on that
 * same thread. Decision thread only, except the executors themselves.
 */
final class PreBindLanes implements Executor {
    private final ExecutorService volumes;
    private final ExecutorService bookings;
    /** uid of the pod VolumeBinding last assumed volumes for (decision thread). */
    private String volumesAssumedFor;
    /** Whether the binding cycle starting now goes to the volume lane (decision thread). */
    private boolean volumeLane;

    PreBindLanes(ExecutorService volumes, ExecutorService bookings) {
        this.volumes = volumes;
        this.bookings = bookings;
    }

    /** {@code binder}, telling this which pod's Reserve assumed volumes. */
    VolumeBinder recording(VolumeBinder binder) {
        return new VolumeBinder() {
            @Override
            public void assume(VolumeDecision decision) {
                volumesAssumedFor = decision.podUid();
                binder.assume(decision);
            }

            @Override
            public void forget(VolumeDecision decision) {
                binder.forget(decision);
            }

            @Override
            public Optional<String> bind(PodRequest pod, VolumeDecision decision) {
                return binder.bind(pod, decision);
            }
        };
    }

    /** {@code pod}'s binding cycle starts now (decision thread): its PreBind, if any, goes to the lane it needs. */
    void starting(PodRequest pod) {
        volumeLane = pod.uid().equals(volumesAssumedFor);
        volumesAssumedFor = null;
    }

    @Override
    public void execute(Runnable preBind) {
        (volumeLane ? volumes : bookings).execute(preBind);
    }

    /** Stops both lanes: work still queued is dropped. */
    void shutdownNow() {
        volumes.shutdownNow();
        bookings.shutdownNow();
    }
}
