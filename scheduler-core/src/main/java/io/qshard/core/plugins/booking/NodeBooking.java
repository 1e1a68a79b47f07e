package io.qshard.core.plugins.booking;

import io.qshard.core.booking.Booking;
import io.qshard.core.booking.BookingCheck;
import io.qshard.core.booking.BookingPort;
import io.qshard.core.booking.NodeBookings;
import io.qshard.core.booking.NodeCommitment;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PreBindPlugin;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.FitArgs;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.ResourceNames;
import java.util.Objects;
import java.util.Set;

/**
 * Node bookings: the guard against two scheduler processes over-booking one node between their informers (the
 * shipped topology runs each tier in its own process; prod and mid draw the kubelet's cpu and memory, batch and free
 * its {@code qshard.io/batch-*} pair, all four its pod slots). Reserve (decision thread) takes the process's
 * {@link NodeCommitment} on the chosen node; PreBind (off the decision thread) books the pod on the node's Lease
 * through the {@link BookingPort}, refusing it when the node's allocatable would be exceeded by what the process
 * knows plus what other processes booked and it has not seen yet ({@link BookingCheck}). The booking carries the pod's
 * full requests; only the check of the pod's own extended resources skips those its tier ignores. A refusal fails the
 * binding with a message {@link #isRefusal recognisable} as one: the pod is unreserved and retried with backoff, by
 * when the other placements are in view. A booking is not taken back when a later step fails: it counts until it
 * expires ({@link NodeBookings#ttlFor}) or its pod is seen deleted — conservative, never optimistic.
 *
 * <p>The runtime adds it to every tier's profile when bookings are on ({@code qshard run --node-bookings}); with
 * {@link BookingPort#NONE} it does nothing and PreBind is skipped. Not node-local but no filter or scorer, so decision
 * reuse is unaffected. Immutable and thread-safe.
 */
public final class NodeBooking implements ReservePlugin, PreBindPlugin {
    public static final String NAME = "NodeBooking";
    private static final CycleState.Key<NodeCommitment> COMMITMENT = new CycleState.Key<>(NAME + ".commitment");

    private final BookingPort port;
    private final Set<String> ignoredResources;
    private final Set<String> ignoredGroups;

    /** With the context's port and fit arguments (what the registry and a class-name entry build). */
    public NodeBooking(PluginContext context) {
        this(context.bookings(), context.fit());
    }

    /** @param fit the tier's fit arguments: extended resources it ignores are booked but not checked */
    public NodeBooking(BookingPort port, FitArgs fit) {
        this.port = Objects.requireNonNull(port, "port");
        this.ignoredResources = Set.copyOf(fit.ignoredResources());
        this.ignoredGroups = Set.copyOf(fit.ignoredResourceGroups());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status reserve(CycleState state, PodRequest pod, String nodeName) {
        NodeCommitment c = port.commitment(pod, nodeName);
        if (c != null) {
            state.write(COMMITMENT, c);
        }
        return Status.SUCCESS;
    }

    /** Nothing to undo: a booking written counts until it expires (see the class comment). */
    @Override
    public void unreserve(CycleState state, PodRequest pod, String nodeName) {}

    @Override
    public boolean preBindNeeded(CycleState state, PodRequest pod) {
        return state.read(COMMITMENT) != null;
    }

    @Override
    public Status preBind(CycleState state, PodRequest pod, String nodeName) {
        NodeCommitment c = state.read(COMMITMENT);
        if (c == null) {
            return Status.SUCCESS;
        }
        return port.book(c, pod, new Booking(pod.uid(), pod.requests(), 0), name -> !ignored(name))
                .map(why -> Status.unschedulable(NAME, why))
                .orElse(Status.SUCCESS);
    }

    /**
     * Whether a failed binding's message ({@code BindResult.message()}: {@code "<plugin>: <why>"}) is this plugin's
     * refusal — the node is booked up by other processes, an expected outcome — rather than a failure.
     */
    public static boolean isRefusal(String bindMessage) {
        return bindMessage.startsWith(NAME + ": ") && bindMessage.contains(BookingCheck.BOOKED_UP);
    }

    /** Whether the tier ignores the extended resource {@code name} (kube's NodeResourcesFitArgs). */
    boolean ignored(String name) {
        if (!ResourceNames.isExtended(name)) {
            return false;
        }
        int slash = name.indexOf('/');
        return ignoredResources.contains(name) || (slash >= 0 && ignoredGroups.contains(name.substring(0, slash)));
    }
}
