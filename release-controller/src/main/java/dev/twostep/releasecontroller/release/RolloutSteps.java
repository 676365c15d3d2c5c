package dev.twostep.releasecontroller.release;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.RolloutStarted;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The event that puts a rollout at a step, saying so in its reason: where a flag definition stands and the rollout
 * names a treatment, the definition with the treatment's share at the step's percentage ({@link RolloutSplit});
 * otherwise the audience at that percentage, its listed users still in.
 */
final class RolloutSteps {

    private RolloutSteps() {
    }

    /** The first step of a rollout that has just started. */
    static ReleaseEvent first(ReleaseState state, RolloutStarted started, String bucketing) {
        double percentage = started.plan().steps().getFirst();
        return at(state, started.environment(), started.rolloutId(), started.treatment(), started.control(),
                percentage, "starts", "at step 1 (" + percent(percentage) + "%)", bucketing);
    }

    /** The step after the rollout's current one, and why it is taken. */
    static ReleaseEvent next(ReleaseState state, Rollout rollout, String why, String bucketing) {
        double percentage = rollout.nextPercentage();
        return at(state, rollout.environment(), rollout.rolloutId(), rollout.treatment(), rollout.control(),
                percentage, "advances", "to step " + (rollout.step() + 1) + " (" + percent(percentage) + "%): " + why,
                bucketing);
    }

    private static ReleaseEvent at(ReleaseState state, String environment, String rolloutId, String treatment,
                                   String control, double percentage, String verb, String step, String bucketing) {
        Optional<FeatureDefinitionSet> definition = state.definitionIn(environment);
        if (treatment != null && definition.isPresent()) {
            return new FeatureDefinitionSet(state.featureKey(), environment, RolloutSplit.withShare(
                    RolloutSplit.base(definition.get()), treatment, control, percentage), definition.get().segments(),
                    "rollout " + rolloutId + " " + verb + " " + treatment + " " + step, rolloutId, bucketing,
                    percentage);
        }
        Audience current = state.audienceIn(environment);
        return new FeatureReleased(state.featureKey(), environment, new Audience(percentage, current.users()), current,
                "rollout " + rolloutId + " " + verb + " " + step, rolloutId, bucketing);
    }

    /** 5.0 reads "5", 0.125 reads "0.125". */
    private static String percent(double percentage) {
        return BigDecimal.valueOf(percentage).stripTrailingZeros().toPlainString();
    }
}
