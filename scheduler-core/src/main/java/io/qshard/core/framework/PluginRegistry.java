package io.qshard.core.framework;

import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Plugin factories by name. {@code ShippedPlugins.registry()} holds every plugin qshard ships. Your own
 * plugin needs no registration: name its class in a tier's {@code plugins:} list (e.g.
 * {@code com.example.PreferFast}) and put it on the classpath; it needs a public constructor taking a
 * {@link PluginContext} or none. {@link #register} adds a short name instead. Not thread-safe while
 * registering; read-only use afterwards is safe.
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

    /** The factory registered under {@code name}, or, for a class name, one that instantiates that class. */
    public Optional<Function<PluginContext, ? extends Plugin>> factory(String name) {
        Function<PluginContext, ? extends Plugin> f = factories.get(name);
        return f != null ? Optional.of(f) : name.contains(".") ? byClassName(name) : Optional.empty();
    }

    private static Optional<Function<PluginContext, ? extends Plugin>> byClassName(String className) {
        Class<?> c;
        try {
            c = Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        if (!Plugin.class.isAssignableFrom(c)) {
            return Optional.empty();
        }
        Constructor<?> withContext = constructor(c, PluginContext.class);
        Constructor<?> noArgs = constructor(c);
        if (withContext == null && noArgs == null) {
            return Optional.empty();
        }
        return Optional.of(ctx -> {
            try {
                return (Plugin) (withContext != null ? withContext.newInstance(ctx) : noArgs.newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot instantiate plugin " + className + ": " + e, e);
            }
        });
    }

    private static Constructor<?> constructor(Class<?> c, Class<?>... params) {
        try {
            return c.getConstructor(params);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Registered names, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(factories.keySet());
    }
}
