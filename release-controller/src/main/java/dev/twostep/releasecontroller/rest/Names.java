package dev.twostep.releasecontroller.rest;

import dev.twostep.events.rules.FeatureKey;
import dev.twostep.problems.ProblemException;

/** Path segments and headers checked at the edge, so a bad one is a 400 that names it. */
final class Names {

    private static final String ENVIRONMENT = "[a-z0-9][a-z0-9-]{0,62}";

    private Names() {
    }

    static String featureKey(String key) {
        if (key == null || !key.matches(FeatureKey.PATTERN)) {
            throw ProblemException.invalid("key", FeatureKey.MESSAGE);
        }
        return key;
    }

    static String environment(String environment) {
        if (environment == null || !environment.matches(ENVIRONMENT)) {
            throw ProblemException.invalid("env", "must be an environment name: lower-case letters, digits and -");
        }
        return environment;
    }

    /** An optional client-chosen key that makes a retried request find what the first one did. */
    static String idempotencyKey(String header) {
        if (header != null && (header.isBlank() || header.length() > 200)) {
            throw ProblemException.invalid("Idempotency-Key", "must be 1 to 200 characters");
        }
        return header;
    }
}
