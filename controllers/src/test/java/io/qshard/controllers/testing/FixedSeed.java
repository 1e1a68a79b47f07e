package io.qshard.controllers.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Runs every jqwik property of this module with one fixed seed, so a failure in CI is reproduced by running the same
 * test again (the same hook as scheduler-core's {@code io.qshard.core.testing.FixedSeed}: modules share no test
 * sources). Registered for all properties through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}
 * in the test resources; a property that names its own {@code @Property(seed = …)} keeps it.
 *
 * <p>The seed is the system property {@value #SEED_PROPERTY} (a long), {@value #DEFAULT_SEED} when unset; the value
 * {@code random} leaves the seed to jqwik (a new one each run, printed in the property's report):
 * {@code mvn -B verify -pl controllers -Dqshard.jqwik.seed=random}. Surefire hands Maven's {@code -D} properties
 * to the test JVM. Stateless, thread-safe.
 */
public final class FixedSeed implements AroundPropertyHook {
    /** The system property that sets the seed; {@code random} for a random seed per run. */
    public static final String SEED_PROPERTY = "qshard.jqwik.seed";
    /** The seed used when {@value #SEED_PROPERTY} is unset. */
    public static final String DEFAULT_SEED = "20260101";

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String seed = System.getProperty(SEED_PROPERTY, DEFAULT_SEED).trim();
        boolean ownSeed = context.attributes().seed().filter(s -> !s.isBlank()).isPresent();
        if (!ownSeed && !seed.equalsIgnoreCase("random")) {
            try {
                Long.parseLong(seed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SEED_PROPERTY + " must be a long or 'random', was '" + seed + "'");
            }
            context.attributes().setSeed(seed);
        }
        return property.execute();
    }
}
