package io.qshard.core.model;

import java.util.Objects;

/**
 * A node taint. Immutable.
 *
 * @param key    taint key
 * @param value  taint value, may be empty
 * @param effect what the taint does to pods that do not tolerate it
 */
public record Taint(String key, String value, Effect effect) {
    public Taint {
        Objects.requireNonNull(key, "key");
        value = value == null ? "" : value;
        Objects.requireNonNull(effect, "effect");
    }

    /** Kubernetes taint effects. */
    public enum Effect {
        NO_SCHEDULE("NoSchedule"),
        PREFER_NO_SCHEDULE("PreferNoSchedule"),
        NO_EXECUTE("NoExecute");

        private final String apiName;

        Effect(String apiName) {
            this.apiName = apiName;
        }

        /** The name used in the Kubernetes API. */
        public String apiName() {
            return apiName;
        }

        /** Parses an API name; unknown names are rejected with the list of known ones. */
        public static Effect fromApi(String name) {
            for (Effect e : ALL) { // not values(): it copies the array, and every watched pod's tolerations come here
                if (e.apiName.equals(name)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(
                    "unknown taint effect '" + name + "' (NoSchedule, PreferNoSchedule, NoExecute)");
        }

        private static final Effect[] ALL = values();
    }
}
