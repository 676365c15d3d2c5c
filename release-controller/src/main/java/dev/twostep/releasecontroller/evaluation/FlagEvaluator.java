package dev.twostep.releasecontroller.evaluation;

import dev.twostep.releasecontroller.evaluation.Evaluation.Failure;
import dev.twostep.releasecontroller.evaluation.Evaluation.Success;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.Map;

/**
 * Evaluates a boolean flag for one targeting key in one environment, without any I/O.
 * <ul>
 *   <li>a listed user: on, TARGETING_MATCH;</li>
 *   <li>everyone (100 %) or nobody (0 %, no listed match): STATIC;</li>
 *   <li>a percentage: SPLIT, on when the key's bucket is below the threshold; without a targeting
 *       key there is no bucket, so TARGETING_KEY_MISSING;</li>
 *   <li>a feature never released in that environment: off, DISABLED, which tells it apart from a
 *       release to nobody (a decision, for example a rollback).</li>
 * </ul>
 */
public final class FlagEvaluator {

    public static final String ON = "on";
    public static final String OFF = "off";

    private FlagEvaluator() {
    }

    public static Evaluation evaluate(Flag flag, String environment, String targetingKey) {
        FlagRelease release = flag.environments().get(environment);
        if (release == null) {
            return new Success(flag.key(), false, OFF, "DISABLED", Map.of());
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
        return success(flag, Bucketing.isIn(flag.key(), targetingKey, release.bucketsIn()), "SPLIT", release);
    }

    private static Success success(Flag flag, boolean on, String reason, FlagRelease release) {
        return new Success(flag.key(), on, on ? ON : OFF, reason, release.metadata());
    }
}
