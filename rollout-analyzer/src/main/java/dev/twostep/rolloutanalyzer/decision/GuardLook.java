package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.SourceEvidence;
import dev.twostep.rolloutanalyzer.decision.Replay.StepSpan;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One look at a Prometheus guard during a step: the treatment's and the baseline's counts since the step began, as
 * the look found them, or why it found none. A look is a snapshot of the step so far, not an increment, so the judge
 * needs only the latest one. The live judge turns the latest look into the guard's reading here, and the replay does
 * the same with each recorded look in turn: a rejudge sees a look exactly as the judge saw it.
 *
 * @param guard    the guard's name in its plan
 * @param step     1-based step number in the plan
 * @param at       when the look was taken
 * @param baseline the control since the step began, or at 100 % the control pooled over the earlier steps; null
 *                 when the look found no data
 * @param noData   why the look has no counts, or null when it has them
 */
public record GuardLook(String guard, int step, Instant at, Counts baseline, Counts treatment, List<String> queries,
                        String noData) {

    /** The source type of a guard read from Prometheus, as plans and evidence name it. */
    public static final String PROMETHEUS = "prometheus";

    public GuardLook {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(at, "at");
        queries = queries == null ? List.of() : List.copyOf(queries);
        if ((noData == null) != (baseline != null && treatment != null)) {
            throw new IllegalArgumentException("a look has both arms' counts or the reason it has none");
        }
    }

    /**
     * The guard's reading of a step at {@code now} from its latest look in that step. No look yet, or a failed one,
     * gives no counts and says why: no counts can neither advance nor roll back, so the step holds at
     * {@code maxStepDuration} if it never gets any.
     *
     * @param latest the latest look in this step, or null when none was taken yet
     */
    public static GuardReading reading(GuardRule guard, StepSpan step, Instant now, GuardLook latest) {
        boolean counted = latest != null && latest.noData() == null;
        Counts none = new Counts(0, 0);
        Counts treatment = counted ? latest.treatment() : none;
        Counts baseline = counted ? latest.baseline() : none;
        StepObservation observation = step.percent() >= 100
                ? StepObservation.atFullRollout(step.step(), step.fromPercent(), step.startedAt(), now, treatment,
                baseline)
                : StepObservation.withConcurrentControl(step.step(), step.fromPercent(), step.percent(),
                step.startedAt(), now, baseline, treatment);
        SourceEvidence source = latest == null
                ? new SourceEvidence(PROMETHEUS, List.of(), "not read from Prometheus yet in this step")
                : new SourceEvidence(PROMETHEUS, latest.queries(), latest.noData());
        return new GuardReading(guard, observation, source);
    }
}
