package io.qshard.core.framework;

import io.qshard.core.model.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tier's instantiated plugins, grouped by extension point in the tier's configured order, with the score
 * weights resolved. A plugin class may implement several extension points and then appears in each group.
 * Built once per tier at startup; immutable and thread-safe afterwards.
 */
public final class Profile {
    private final Tier tier;
    private final List<PreEnqueuePlugin> preEnqueues = new ArrayList<>();
    private final List<PreFilterPlugin> preFilters = new ArrayList<>();
    private final List<FilterPlugin> filters = new ArrayList<>();
    private final List<PostFilterPlugin> postFilters = new ArrayList<>();
    private final List<PreScorePlugin> preScores = new ArrayList<>();
    private final List<ScorePlugin> scorers = new ArrayList<>();
    private final List<ReservePlugin> reservers = new ArrayList<>();
    private final List<PermitPlugin> permits = new ArrayList<>();
    private final List<PreBindPlugin> preBinds = new ArrayList<>();
    private final List<BindPlugin> binders = new ArrayList<>();
    private final List<PostBindPlugin> postBinds = new ArrayList<>();
    private final long[] weights;

    private Profile(Tier tier, List<Plugin> plugins) {
        this.tier = tier;
        List<Long> scoreWeights = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            Plugin p = plugins.get(i);
            if (p instanceof PreEnqueuePlugin x) {
                preEnqueues.add(x);
            }
            if (p instanceof PostFilterPlugin x) {
                postFilters.add(x);
            }
            if (p instanceof PermitPlugin x) {
                permits.add(x);
            }
            if (p instanceof PreBindPlugin x) {
                preBinds.add(x);
            }
            if (p instanceof BindPlugin x) {
                binders.add(x);
            }
            if (p instanceof PostBindPlugin x) {
                postBinds.add(x);
            }
            if (p instanceof PreFilterPlugin x) {
                preFilters.add(x);
            }
            if (p instanceof FilterPlugin x) {
                filters.add(x);
            }
            if (p instanceof PreScorePlugin x) {
                preScores.add(x);
            }
            if (p instanceof ScorePlugin x) {
                scorers.add(x);
                scoreWeights.add((long) tier.weightOf(tier.plugins().get(i))); // by the name configured
            }
            if (p instanceof ReservePlugin x) {
                reservers.add(x);
            }
        }
        weights = scoreWeights.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Instantiates the tier's plugins from the registry.
     *
     * @throws IllegalArgumentException naming the tier and field when a plugin is unknown, a factory returns
     *                                  a plugin with another name, or a weight names a plugin that is not an
     *                                  enabled score plugin
     */
    public static Profile build(Tier tier, PluginRegistry registry, PluginContext context) {
        List<Plugin> plugins = new ArrayList<>();
        PluginContext tierContext = context.withTopology(tier.topology()).withFit(tier.fit());
        for (String name : tier.plugins()) {
            Plugin p = registry.factory(name)
                    .orElseThrow(
                            () -> new IllegalArgumentException("tier '" + tier.name() + "' plugins: unknown plugin '"
                                    + name + "' (registered: " + String.join(", ", registry.names()) + ")"))
                    .apply(tierContext);
            if (!p.name().equals(name) && !p.getClass().getName().equals(name)) {
                throw new IllegalArgumentException(
                        "plugin factory '" + name + "' built a plugin named '" + p.name() + "'");
            }
            plugins.add(p);
        }
        Profile profile = new Profile(tier, plugins);
        if (profile.binders.size() > 1) {
            throw new IllegalArgumentException("tier '" + tier.name() + "' plugins: at most one Bind plugin, found "
                    + profile.binders.stream().map(Plugin::name).toList());
        }
        for (Map.Entry<String, Integer> w : tier.scoreWeights().entrySet()) {
            int at = tier.plugins().indexOf(w.getKey());
            if (at < 0 || !(plugins.get(at) instanceof ScorePlugin)) {
                throw new IllegalArgumentException("tier '" + tier.name() + "' weights." + w.getKey()
                        + ": not an enabled score plugin of this tier");
            }
        }
        return profile;
    }

    public Tier tier() {
        return tier;
    }

    public List<PreFilterPlugin> preFilters() {
        return List.copyOf(preFilters);
    }

    public List<FilterPlugin> filters() {
        return List.copyOf(filters);
    }

    public List<PreScorePlugin> preScores() {
        return List.copyOf(preScores);
    }

    public List<ScorePlugin> scorers() {
        return List.copyOf(scorers);
    }

    public List<ReservePlugin> reservers() {
        return List.copyOf(reservers);
    }

    public List<PreEnqueuePlugin> preEnqueues() {
        return List.copyOf(preEnqueues);
    }

    public List<PostFilterPlugin> postFilters() {
        return List.copyOf(postFilters);
    }

    public List<PermitPlugin> permits() {
        return List.copyOf(permits);
    }

    public List<PreBindPlugin> preBinds() {
        return List.copyOf(preBinds);
    }

    /** The profile's own Bind plugin, at most one; empty: the runtime's default binder. */
    public List<BindPlugin> binders() {
        return List.copyOf(binders);
    }

    public List<PostBindPlugin> postBinds() {
        return List.copyOf(postBinds);
    }

    /** Weight of score plugin {@code i} (index into {@link #scorers()}). */
    public long weight(int i) {
        return weights[i];
    }
}
