package io.qshard.core.cycle;

import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.PermitPlugin;
import io.qshard.core.framework.ReservePlugin;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What the runtime contributes to every cycle of a tier, around the profile's plugins: its cache's reservation (run
 * before the profile's reservers), its own permits (run after the profile's: leadership, shard membership), the
 * default binder (used when the profile names none) and the executor PreBind plugins run on. Immutable.
 *
 * @param reservers       run first at Reserve, unreserved last
 * @param permits         run after the profile's permits
 * @param binder          the default Bind plugin (the API's {@code pods/binding})
 * @param preBindExecutor where PreBind plugins run (off the decision thread); unused when the profile has none
 * @param pluginFailed    told of an exception the cycle caught from a PreEnqueue, Unreserve or PostBind plugin (to log
 *                        and count it); called on the thread that ran the plugin
 */
public record RuntimeSteps(
        List<ReservePlugin> reservers,
        List<PermitPlugin> permits,
        BindPlugin binder,
        Executor preBindExecutor,
        PluginFailures pluginFailed) {
    public RuntimeSteps {
        reservers = List.copyOf(reservers);
        permits = List.copyOf(permits);
        Objects.requireNonNull(binder, "binder");
        Objects.requireNonNull(preBindExecutor, "preBindExecutor");
        Objects.requireNonNull(pluginFailed, "pluginFailed");
    }

    /** The runtime's steps, plugin failures ignored (they are still counted by the cycle). */
    public RuntimeSteps(
            List<ReservePlugin> reservers, List<PermitPlugin> permits, BindPlugin binder, Executor preBindExecutor) {
        this(reservers, permits, binder, preBindExecutor, (plugin, point, pod, e) -> {});
    }

    /** Only a binder: no cache reservation, no permits, PreBind on the calling thread (tools and tests). */
    public static RuntimeSteps binderOnly(BindPlugin binder) {
        return new RuntimeSteps(List.of(), List.of(), binder, Runnable::run);
    }

    /** Receives the exceptions the cycle caught from plugins (bugs). Must be thread-safe and must not throw. */
    @FunctionalInterface
    public interface PluginFailures {
        /**
         * @param plugin the plugin's name
         * @param point  the extension point: "PreEnqueue", "Unreserve" or "PostBind"
         * @param pod    the pod it was called for
         * @param e      what it threw
         */
        void failed(String plugin, String point, io.qshard.core.model.PodRequest pod, RuntimeException e);
    }
}
