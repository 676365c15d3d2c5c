package dev.twostep.releasecontroller.evaluation;

import java.util.HashMap;
import java.util.Map;

/** A defined feature and its release in each environment where it has one. */
public record Flag(String key, Map<String, FlagRelease> environments) {

    public static Flag defined(String key) {
        return new Flag(key, Map.of());
    }

    /** Keeps the newer of two releases, so a late or repeated update never goes back in time. */
    public Flag with(String environment, FlagRelease release) {
        FlagRelease current = environments.get(environment);
        if (current != null && current.sequence() >= release.sequence()) {
            return this;
        }
        Map<String, FlagRelease> updated = new HashMap<>(environments);
        updated.put(environment, release);
        return new Flag(key, Map.copyOf(updated));
    }
}
