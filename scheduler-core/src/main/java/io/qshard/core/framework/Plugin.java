package io.qshard.core.framework;

/**
 * A scheduling plugin. Each plugin class declares a {@code public static final String NAME}, returns it
 * from {@link #name()}, is registered under it in the {@link PluginRegistry}, and implements one or more of
 * the extension-point interfaces ({@link PreFilterPlugin}, {@link FilterPlugin}, {@link PreScorePlugin},
 * {@link ScorePlugin}, {@link ReservePlugin}). Plugins are stateless or immutable: one instance serves
 * every cycle of a tier's profile, and per-cycle data goes into the {@link CycleState}.
 */
public interface Plugin {
    /** The registry name, e.g. {@code "TierResourceFit"}. */
    String name();
}
