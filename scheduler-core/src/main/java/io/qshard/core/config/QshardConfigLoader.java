package io.qshard.core.config;

import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.Tier;
import io.qshard.core.pool.PoolConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads {@code qshard.yaml}: tiers listed there are merged over the built-in ones by name (any field left
 * out keeps the default; a new tier must give schedulerName, priority and pool), then everything is
 * validated — and every tier's plugins are instantiated once — so a bad file fails at startup. It fails with
 * <em>every</em> error of the file at once, each naming its field ({@link ConfigException#errors()}, in file order):
 * a wrong value is left out and only the checks that depend on it are skipped. A file that is not YAML at all is one
 * error with its line and column. See {@code manifests/qshard.yaml} for a complete example. Stateless; thread-safe
 * when the registry is.
 */
public final class QshardConfigLoader {
    private final PluginRegistry registry;

    public QshardConfigLoader(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * Loads and validates a file.
     *
     * @throws ConfigException listing every error of the file, or that it cannot be read
     */
    public QshardConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and validates YAML text; {@code source} names it in errors.
     *
     * @throws ConfigException listing every error of the text, in file order
     */
    public QshardConfig parse(String yaml, String source) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).build();
        Optional<Node> node;
        Object doc;
        try {
            node = new Compose(settings).composeString(yaml);
            doc = new StandardConstructor(settings).constructSingleDocument(node);
        } catch (YamlEngineException e) {
            throw new ConfigException(source, "", "not valid YAML: " + describe(e));
        }
        ConfigErrors errors = new ConfigErrors(source, YamlPositions.of(node));
        YamlMap root = new YamlMap(errors, "", doc);
        TierSection tierSection = new TierSection(registry, errors);
        List<Tier> tiers = tierSection.tiers(root);
        Optional<PoolConfig> pools = SettingSections.pools(root, errors);
        Optional<SettingSections.Scheduling> scheduling = SettingSections.scheduling(root, errors);
        Optional<PredictionConfig> predictions = SettingSections.predictions(root, errors);
        Optional<MigrationConfig> migration = SettingSections.migration(root, errors);
        root.finish();
        checkProfiles(tiers, pools.orElse(PoolConfig.defaults()), tierSection, errors);
        errors.throwIfAny();
        SettingSections.Scheduling s = scheduling.orElseThrow();
        return new QshardConfig(
                tiers,
                pools.orElseThrow(),
                s.nodesToScore(),
                s.backoff(),
                s.unschedulableTimeout(),
                predictions.orElseThrow(),
                migration.orElseThrow(),
                s.shardRotation(),
                s.equivalentPodReuse());
    }

    /** Instantiates every valid tier's plugins once (with the default pools when the file's are wrong). */
    private void checkProfiles(List<Tier> tiers, PoolConfig pools, TierSection section, ConfigErrors errors) {
        PluginContext ctx = new PluginContext(pools, Clock.systemUTC());
        for (Tier t : tiers) {
            try {
                Profile.build(t, registry, ctx);
            } catch (RuntimeException e) { // a plugin's factory refusing its args, or failing: either way, one error
                errors.add(
                        "tiers." + t.name(),
                        e instanceof IllegalArgumentException ? e.getMessage() : "plugins cannot be built: " + e,
                        section.listedAt(t.name()));
            }
        }
    }

    /** The parser's first line (as always reported), what it found if that says more, and where. */
    private static String describe(YamlEngineException e) {
        String first = e.getMessage().lines().findFirst().orElse("");
        if (!(e instanceof MarkedYamlEngineException m)) {
            return first;
        }
        String problem = m.getProblem() == null || m.getProblem().equals(first) ? "" : ", " + m.getProblem();
        return first
                + problem
                + m.getProblemMark()
                        .map(at -> " (line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ")")
                        .orElse("");
    }
}
