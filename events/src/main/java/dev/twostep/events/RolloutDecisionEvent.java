package dev.twostep.events;

import java.time.Instant;

/**
 * The rollout-analyzer's verdicts on {@link Topics#ROLLOUT_EVENTS}, keyed by rollout id. Each
 * carries all the evidence needed for a person to read it and for a program to judge it again.
 */
public sealed interface RolloutDecisionEvent extends TwostepEvent {

    String rolloutId();

    int step();

    Evidence evidence();

    @Override
    default String aggregateId() {
        return rolloutId();
    }

    record Counts(long requests, long errors) {
        public Counts {
            Require.notNegative(requests, "requests");
            Require.notNegative(errors, "errors");
        }
    }

    record Window(Instant start, Instant end) {
    }

    /**
     * What a decision saw: the two arms, the method and its statistic against the threshold.
     * {@code baseline} says where the control came from (for example the previous steps at 100 %).
     */
    record Evidence(Window window, Counts control, Counts treatment, String method, double statistic,
                    double threshold, String baseline, String summary) {
    }

    record RolloutAdvanceDecided(String decisionId, String rolloutId, String featureKey, String environment,
                                 int step, double fromPercent, double toPercent, int planVersion,
                                 Evidence evidence) implements RolloutDecisionEvent {
        public RolloutAdvanceDecided {
            Require.text(decisionId, "decisionId");
            Require.text(rolloutId, "rolloutId");
            Require.present(evidence, "evidence");
        }
    }

    record RolloutHoldDecided(String decisionId, String rolloutId, String featureKey, String environment,
                              int step, double fromPercent, double toPercent, int planVersion,
                              Evidence evidence) implements RolloutDecisionEvent {
        public RolloutHoldDecided {
            Require.text(decisionId, "decisionId");
            Require.text(rolloutId, "rolloutId");
            Require.present(evidence, "evidence");
        }
    }

    record RolloutRollbackDecided(String decisionId, String rolloutId, String featureKey, String environment,
                                  int step, double fromPercent, double toPercent, int planVersion,
                                  Evidence evidence) implements RolloutDecisionEvent {
        public RolloutRollbackDecided {
            Require.text(decisionId, "decisionId");
            Require.text(rolloutId, "rolloutId");
            Require.present(evidence, "evidence");
        }
    }
}
