package io.qshard.core.cycle;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.PermitPlugin;
import io.qshard.core.framework.ReservePlugin;

/**
 * What the runtime contributes to every cycle of a tier, around the profile's plugins: its cache's reservation (run
 * before the profile's reservers), its own permits (run after the profile's: leadership, shard membership), the
 * default binder (used when the profile names none) and the executor PreBind plugins run on. Immutable.
 *
 * @param reservers       run first at Reserve, unreserved last
 * @param permits         run after the profile's permits
 * @param binder          the default Bind plugin (the API's {@code pods/binding})
 * @param preBindExecutor where PreBind plugins run (off the decision thread); unused when the profile has none
 */
public record RuntimeSteps(List<ReservePlugin> reservers, List<PermitPlugin> permits, BindPlugin binder,
                           Executor preBindExecutor) {
    public RuntimeSteps {
        reservers = List.copyOf(reservers);
        permits = List.copyOf(permits);
        Objects.requireNonNull(binder, "binder");
        Objects.requireNonNull(preBindExecutor, "preBindExecutor");
    }

    /** Only a binder: no cache reservation, no permits, PreBind on the calling thread (tools and tests). */
    public static RuntimeSteps binderOnly(BindPlugin binder) {
        return new RuntimeSteps(List.of(), List.of(), binder, Runnable::run);
    }
}
