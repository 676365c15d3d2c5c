package dev.twostep.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

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
     *
     * <p>The first eight fields are the deciding guard's. The last three came with guards of several kinds and
     * are left out of the JSON when absent, so decisions written before them decode and encode unchanged.
     *
     * @param decidedBy the name of the guard whose verdict decided the step
     * @param guards    every guard's own evidence, acting and dry-run alike, in plan order
     * @param forecast  for a hold: what the step still needs to decide either way
     */
    record Evidence(Window window, Counts control, Counts treatment, String method, double statistic,
                    double threshold, String baseline, String summary,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String decidedBy,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<GuardEvidence> guards,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Forecast forecast) {

        public Evidence {
            guards = guards == null ? null : List.copyOf(guards);
        }

        /** A one-guard decision's evidence, as every decision had before guards had names. */
        public Evidence(Window window, Counts control, Counts treatment, String method, double statistic,
                        double threshold, String baseline, String summary) {
            this(window, control, treatment, method, statistic, threshold, baseline, summary, null, null, null);
        }
    }

    /**
     * One guard's part of a decision.
     *
     * @param acting    false for a dry-run guard, whose verdict is recorded and never acts
     * @param verdict   {@code advance}, {@code rollback}, {@code hold} or {@code keep-watching}
     * @param alpha     the error probability this guard was given: the family's α split across the acting guards
     * @param statistic the bound that decides, in percentage points, as in {@link Evidence}
     * @param source    where the counts came from, with the queries; absent for pushed samples
     * @param forecast  what this guard still needs to decide either way; absent once it has decided
     */
    record GuardEvidence(String name, String metric, boolean acting, String verdict, Counts control,
                         Counts treatment, double statistic, double threshold, double alpha, String summary,
                         @JsonInclude(JsonInclude.Include.NON_NULL) SourceEvidence source,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Forecast forecast) {
        public GuardEvidence {
            Require.text(name, "guards[].name");
        }
    }

    /**
     * Where a guard's counts came from at this look.
     *
     * @param queries the queries as sent, treatment's first
     * @param noData  why there were no counts (unreachable, a query error, an empty result, NaN, a counter reset),
     *                or absent when the counts are the source's
     */
    record SourceEvidence(String type, List<String> queries,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String noData) {
        public SourceEvidence {
            queries = queries == null ? List.of() : List.copyOf(queries);
        }
    }

    /**
     * How many more treatment requests a step needs before its bounds are narrow enough to decide either way for
     * an effect of the guard's size, and how long that takes at the treatment's traffic so far.
     *
     * @param seconds absent while the treatment has had no traffic to extrapolate from
     */
    record Forecast(long moreTreatmentRequests, double treatmentRequestsPerSecond,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Long seconds) {
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
