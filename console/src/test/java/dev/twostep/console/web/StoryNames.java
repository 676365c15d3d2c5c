package dev.twostep.console.web;

import java.util.UUID;

/**
 * The browser test's names, unique to the run and the same in every class loader (a system property carries the
 * suffix), with no dependencies: the test profile that starts {@link StandInServices} may be loaded apart from
 * Quarkus' own class loader, where Jackson must not be touched.
 */
record StoryNames(String suffix) {

    static StoryNames ofThisRun() {
        return new StoryNames((String) System.getProperties().computeIfAbsent("twostep.browser-test.suffix",
                key -> UUID.randomUUID().toString().substring(0, 6)));
    }

    String application() {
        return "checkout-" + suffix;
    }

    String staging() {
        return "staging-" + suffix;
    }

    String prod() {
        return "prod-" + suffix;
    }

    String feature() {
        return "new-form-" + suffix;
    }

    String rollout() {
        return "ro-browser-" + suffix;
    }

    String buildId(String version) {
        return "gha-" + suffix + "-" + version;
    }

    /** Who requested the deployment waiting for approval into prod. */
    String requester() {
        return "bob";
    }
}
