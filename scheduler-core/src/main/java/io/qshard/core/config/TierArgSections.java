package io.qshard.core.config;

import static io.qshard.core.config.Bounds.range;

import io.qshard.core.model.FitArgs;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.TopologyArgs;
import io.qshard.core.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A tier's plugin arguments in {@code qshard.yaml}: its {@code fit:} and {@code topology:} sections. Each records every
 * error it finds in {@link ConfigErrors} and returns its arguments only when it has none. Stateless.
 */
final class TierArgSections {
    private TierArgSections() {}

    /**
     * A tier's {@code fit:} section (kube-scheduler's NodeResourcesFitArgs); absent fields keep {@code base}'s values.
     * Entries are validated as kube-scheduler 1.20 validates them, each error naming the entry.
     */
    static Optional<FitArgs> fit(YamlMap tier, FitArgs base, ConfigErrors errors) {
        int before = errors.count();
        YamlMap m = tier.map("fit");
        Optional<List<String>> resources =
                errors.attempt(() -> m.stringList("ignoredResources").orElse(base.ignoredResources()));
        resources.ifPresent(list -> checkEach(m.field("ignoredResources"), list, FitArgs::resourceProblem, errors));
        Optional<List<String>> groups =
                errors.attempt(() -> m.stringList("ignoredResourceGroups").orElse(base.ignoredResourceGroups()));
        groups.ifPresent(list -> checkEach(m.field("ignoredResourceGroups"), list, FitArgs::groupProblem, errors));
        m.finish();
        if (errors.count() > before || !m.valid()) {
            return Optional.empty();
        }
        return Optional.of(new FitArgs(resources.orElseThrow(), groups.orElseThrow()));
    }

    private static void checkEach(
            String field, List<String> values, Function<String, String> problemOf, ConfigErrors errors) {
        for (int i = 0; i < values.size(); i++) {
            String problem = problemOf.apply(values.get(i));
            if (problem != null) {
                errors.add(field + "[" + i + "]", problem);
            }
        }
    }

    /** A tier's {@code topology:} section; absent fields keep {@code base}'s values. */
    static Optional<TopologyArgs> topology(YamlMap tier, TopologyArgs base, ConfigErrors errors) {
        int before = errors.count();
        YamlMap m = tier.map("topology");
        Optional<Long> hard = errors.attempt(() -> range(
                m,
                "hardPodAffinityWeight",
                m.integer("hardPodAffinityWeight").orElse((long) base.hardPodAffinityWeight()),
                0,
                100));
        List<TopologySpreadConstraint> defaults = base.defaultConstraints();
        if (m.has("defaultConstraints")) {
            defaults = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (YamlMap c : errors.attempt(
                            () -> m.mapList("defaultConstraints").orElseThrow())
                    .orElse(List.of())) {
                constraint(c, seen, errors).ifPresent(defaults::add);
            }
        }
        m.finish();
        if (errors.count() > before || !m.valid()) {
            return Optional.empty();
        }
        return Optional.of(new TopologyArgs(hard.orElseThrow().intValue(), defaults));
    }

    /** One entry of {@code defaultConstraints}, unless it is wrong or repeats a key and mode {@code seen} before. */
    private static Optional<TopologySpreadConstraint> constraint(YamlMap c, Set<String> seen, ConfigErrors errors) {
        Optional<Long> skew = errors.attempt(() -> range(
                c,
                "maxSkew",
                c.integer("maxSkew").orElseThrow(() -> c.error(c.field("maxSkew"), "required")),
                1,
                Integer.MAX_VALUE));
        Optional<String> key = errors.attempt(
                () -> c.string("topologyKey").orElseThrow(() -> c.error(c.field("topologyKey"), "required")));
        Optional<String> when = errors.attempt(() -> {
            String w = c.string("whenUnsatisfiable")
                    .orElseThrow(
                            () -> c.error(c.field("whenUnsatisfiable"), "required (ScheduleAnyway or DoNotSchedule)"));
            if (!w.equals("ScheduleAnyway") && !w.equals("DoNotSchedule")) {
                throw c.error(c.field("whenUnsatisfiable"), "must be ScheduleAnyway or DoNotSchedule, was '" + w + "'");
            }
            return w;
        });
        c.finish();
        if (key.isEmpty() || when.isEmpty()) {
            return Optional.empty();
        }
        boolean hardConstraint = when.orElseThrow().equals("DoNotSchedule");
        if (!seen.add(key.orElseThrow() + " " + hardConstraint)) {
            errors.add(
                    c.field("topologyKey"),
                    "duplicate constraint: topologyKey '" + key.orElseThrow() + "' with " + when.orElseThrow()
                            + " is listed twice");
            return Optional.empty();
        }
        return skew.map(s ->
                TopologySpreadConstraint.of(s.intValue(), key.orElseThrow(), hardConstraint, LabelSelector.NOTHING));
    }
}
