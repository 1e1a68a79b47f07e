package io.qshard.core.framework;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Plugin factories by name. {@code ShippedPlugins.registry()}
 * holds every plugin qshard ships; add your own with {@link #register} and name it in a tier's
 * {@code plugins:} list. Not thread-safe while registering; read-only use afterwards is safe.
 */
public final class PluginRegistry {
    private final Map<String, Function<PluginContext, ? extends Plugin>> factories = new TreeMap<>();

    /**
     * Registers a factory under {@code name} (the plugin's {@code NAME}).
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public PluginRegistry register(String name, Function<PluginContext, ? extends Plugin> factory) {
        if (factories.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("plugin '" + name + "' is already registered");
        }
        return this;
    }

    public Optional<Function<PluginContext, ? extends Plugin>> factory(String name) {
        return Optional.ofNullable(factories.get(name));
    }

    /** Registered names, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(factories.keySet());
    }
}
