package dev.twostep.console.delivery;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whom a flag definition (flagd's format, as a {@code FeatureDefinitionSet} carries it) can serve something other than
 * its default variant, read from the shape of its targeting: the variants its results name. The release-controller
 * checked and compiled the definition before writing the event, so results are only variant names, {@code null} (no
 * match: the default), {@code if} and {@code fractional}; conditions are never evaluated. A rule that no context
 * happens to meet still counts as able to serve its variant, as the release-controller's release rule counts it ("can
 * serve a variant other than its default" needs the code deployed): exactly those definitions are releases.
 */
public enum DefinitionReach {

    /** Disabled, without targeting, or every result is the default: nobody gets anything but the default. */
    DEFAULT_ONLY,
    /** Some contexts can get another variant than the default, and some the default. */
    SOME,
    /** No context gets the default: every result names another variant. */
    EVERYONE;

    /** The parts of a definition that decide what anybody is served; its {@code metadata} is not one of them. */
    private static final List<String> SERVING = List.of("state", "defaultVariant", "variants", "targeting");

    public static DefinitionReach of(JsonNode definition) {
        JsonNode targeting = definition.path("targeting");
        if (!"ENABLED".equals(definition.path("state").asText()) || targeting.isMissingNode() || targeting.isNull()) {
            return DEFAULT_ONLY;
        }
        String fallback = definition.path("defaultVariant").asText();
        Set<String> outcomes = new HashSet<>();
        collect(targeting, fallback, outcomes);
        if (outcomes.stream().allMatch(fallback::equals)) {
            return DEFAULT_ONLY;
        }
        return outcomes.contains(fallback) ? SOME : EVERYONE;
    }

    /**
     * Whether two definitions serve every context alike as written: the same state, default, variants and targeting.
     * The segments a targeting references are not compared: a segment's change is the environment's, made once, not
     * a release of each feature that uses it.
     */
    public static boolean servesAlike(JsonNode before, JsonNode after) {
        return SERVING.stream().allMatch(part -> before.path(part).equals(after.path(part)));
    }

    private static void collect(JsonNode result, String fallback, Set<String> outcomes) {
        if (result.isTextual()) {
            outcomes.add(result.asText());
            return;
        }
        JsonNode branches = result.path("if");
        if (branches.isArray()) {
            // [condition, result, condition, result, ..., else?]: results sit at odd places, an else last at an even one.
            for (int i = 1; i < branches.size(); i += 2) {
                collect(branches.get(i), fallback, outcomes);
            }
            if (branches.size() % 2 == 1) {
                collect(branches.get(branches.size() - 1), fallback, outcomes);
            } else {
                outcomes.add(fallback);
            }
            return;
        }
        JsonNode shares = result.path("fractional");
        if (shares.isArray()) {
            for (JsonNode share : shares) {
                if (share.path(1).asLong() > 0) {
                    outcomes.add(share.path(0).asText());
                }
            }
            return;
        }
        outcomes.add(fallback);
    }
}
