package dev.twostep.releasecontroller.evaluation;

import dev.twostep.releasecontroller.evaluation.Evaluation.Failure;
import dev.twostep.releasecontroller.evaluation.Evaluation.Success;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.releasecontroller.feature.FlagDefinition;
import dev.twostep.releasecontroller.feature.Targeting;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.Map;

/**
 * Evaluates a boolean flag for one targeting key in one environment, without any I/O.
 * <ul>
 *   <li>a listed user: on, TARGETING_MATCH;</li>
 *   <li>everyone (100 %) or nobody (0 %, no listed match): STATIC;</li>
 *   <li>a percentage: SPLIT, on when the key falls in it by the release's bucketing; without a targeting
 *       key there is no bucket, so TARGETING_KEY_MISSING;</li>
 *   <li>a feature never released in that environment: off, DISABLED, which tells it apart from a
 *       release to nobody (a decision, for example a rollback).</li>
 * </ul>
 * A flag definition answers its variants' values instead: the default variant with DISABLED when its state is
 * DISABLED, STATIC without targeting, DEFAULT when no rule matched; the matched variant with TARGETING_MATCH, or SPLIT
 * when a fractional chose it (TARGETING_KEY_MISSING when a split is reached without a targeting key).
 */
public final class FlagEvaluator {

    public static final String ON = "on";
    public static final String OFF = "off";

    private FlagEvaluator() {
    }

    public static Evaluation evaluate(Flag flag, String environment, String targetingKey) {
        return evaluate(flag, environment, targetingKey, null);
    }

    /** {@code attributes} is the evaluation context (an object), which only definitions' targeting reads. */
    public static Evaluation evaluate(Flag flag, String environment, String targetingKey, JsonNode attributes) {
        FlagRelease release = flag.environments().get(environment);
        if (release == null) {
            return new Success(flag.key(), false, OFF, "DISABLED", Map.of());
        }
        if (release.definition() != null) {
            return evaluateDefinition(flag.key(), release, targetingKey, attributes);
        }
        if (targetingKey != null && release.users().contains(targetingKey)) {
            return success(flag, true, "TARGETING_MATCH", release);
        }
        if (release.bucketsIn() >= Bucketing.BUCKETS || release.bucketsIn() == 0) {
            return success(flag, release.bucketsIn() > 0, "STATIC", release);
        }
        if (targetingKey == null || targetingKey.isEmpty()) {
            return new Failure(flag.key(), "TARGETING_KEY_MISSING",
                    flag.key() + " is released to a percentage in " + environment + "; a targetingKey is needed");
        }
        return success(flag, release.bucketing().isIn(flag.key(), targetingKey, release.bucketsIn()), "SPLIT",
                release);
    }

    private static Evaluation evaluateDefinition(String key, FlagRelease release, String targetingKey,
                                                 JsonNode attributes) {
        FlagDefinition definition = release.definition();
        if (!definition.enabled()) {
            return variant(key, definition.defaultVariant(), "DISABLED", release);
        }
        if (definition.targeting() == null) {
            return variant(key, definition.defaultVariant(), "STATIC", release);
        }
        Targeting.Choice choice;
        try {
            choice = definition.targeting().choose(new Targeting.Facts(key, targetingKey, attributes),
                    release.bucketing());
        } catch (Targeting.TargetingKeyMissing missing) {
            return new Failure(key, "TARGETING_KEY_MISSING", missing.getMessage());
        }
        if (choice == null) {
            return variant(key, definition.defaultVariant(), "DEFAULT", release);
        }
        return variant(key, choice.variant(), choice.split() ? "SPLIT" : "TARGETING_MATCH", release);
    }

    private static Success variant(String key, String variant, String reason, FlagRelease release) {
        return new Success(key, release.definition().variants().get(variant), variant, reason, release.metadata());
    }

    private static Success success(Flag flag, boolean on, String reason, FlagRelease release) {
        return new Success(flag.key(), on, on ? ON : OFF, reason, release.metadata());
    }
}
