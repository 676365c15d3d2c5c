package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.RolloutDecisionEvent.Counts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Plays a rollout's recorded samples through the judge again, under any policy, and says what would have been
 * decided at each step and when. Pure, like the judge: the same history and policy always give the same answer.
 *
 * <p>A sample belongs to the step during which its window started. The judge looks whenever a sample arrived
 * (its {@code receivedAt}) and once more when the step's {@code maxStepDuration} ran out, which is exactly when
 * the live analyzer could have decided. The recorded steps stay as they happened: a replay does not invent the
 * later steps that an earlier advance would have started, it only judges the ones that ran.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * @param metric the guard the sample counts for, by name; null for the plan's first guard (every sample from
     *               before guards had names)
     */
    public record RecordedSample(Variant variant, Instant windowStart, Instant receivedAt, long requests,
                                 long errors, String metric) {

        public RecordedSample(Variant variant, Instant windowStart, Instant receivedAt, long requests, long errors) {
            this(variant, windowStart, receivedAt, requests, errors, null);
        }

        boolean countsFor(GuardRule guard, boolean firstGuard) {
            return metric == null ? firstGuard : metric.equals(guard.name());
        }
    }

    /**
     * @param step        1-based step number in the plan
     * @param fromPercent the audience before this step
     * @param percent     the audience during this step
     * @param endedAt     when the next step began, or null for the step still running
     */
    public record StepSpan(int step, double fromPercent, double percent, Instant startedAt, Instant endedAt) {

        boolean contains(Instant time) {
            return !time.isBefore(startedAt) && (endedAt == null || time.isBefore(endedAt));
        }
    }

    /** What the judge would have said about one step, and when. A step with no conclusion keeps watching. */
    public record ReplayedVerdict(int step, double percent, Instant at, Verdict verdict) {
    }

    /** A one-guard rollout, as every rollout was before guards had kinds. */
    public static List<ReplayedVerdict> replay(Policy policy, List<StepSpan> steps, List<RecordedSample> samples,
                                               Instant until) {
        return replay(RolloutPolicy.of(policy), steps, samples, until);
    }

    /** @param until the end of the replay for the step still running (usually now) */
    public static List<ReplayedVerdict> replay(RolloutPolicy policy, List<StepSpan> steps,
                                               List<RecordedSample> samples, Instant until) {
        List<ReplayedVerdict> verdicts = new ArrayList<>();
        for (StepSpan span : steps) {
            ReplayedVerdict verdict = judgeStep(policy, span, steps.getFirst().startedAt(), samples, until);
            verdicts.add(verdict);
            if (!(verdict.verdict() instanceof Verdict.Advance)) {
                break; // a rollback, a hold or no conclusion would have stopped the rollout at this step
            }
        }
        return verdicts;
    }

    private static ReplayedVerdict judgeStep(RolloutPolicy policy, StepSpan span, Instant rolloutStartedAt,
                                             List<RecordedSample> samples, Instant until) {
        Instant end = span.endedAt() != null ? span.endedAt() : until;
        TreeSet<Instant> looks = new TreeSet<>();
        for (RecordedSample sample : samples) {
            if (span.contains(sample.windowStart())) {
                looks.add(later(sample.receivedAt(), span.startedAt()));
            }
        }
        Instant deadline = span.startedAt().plus(policy.maxStepDuration());
        looks.add(deadline.isBefore(end) ? deadline : end);
        Verdict last = null;
        Instant lastLook = span.startedAt();
        for (Instant look : looks.headSet(end, true)) {
            last = GuardFamily.judge(policy, readings(policy, span, rolloutStartedAt, samples, look));
            lastLook = look;
            if (!(last instanceof Verdict.KeepWatching)) {
                break;
            }
        }
        if (last == null) {
            last = GuardFamily.judge(policy, readings(policy, span, rolloutStartedAt, samples, end));
            lastLook = end;
        }
        return new ReplayedVerdict(span.step(), span.percent(), lastLook, last);
    }

    private static List<GuardReading> readings(RolloutPolicy policy, StepSpan span, Instant rolloutStartedAt,
                                               List<RecordedSample> samples, Instant now) {
        List<GuardReading> readings = new ArrayList<>();
        for (GuardRule guard : policy.guards()) {
            boolean first = guard == policy.guards().getFirst();
            readings.add(new GuardReading(guard, observe(span, rolloutStartedAt,
                    samples.stream().filter(sample -> sample.countsFor(guard, first)).toList(), now), null));
        }
        return readings;
    }

    /** What the judge saw at {@code now}: the step's samples that had arrived by then. */
    private static StepObservation observe(StepSpan span, Instant rolloutStartedAt, List<RecordedSample> samples,
                                           Instant now) {
        Tally control = new Tally();
        Tally treatment = new Tally();
        Tally earlierControl = new Tally();
        for (RecordedSample sample : samples) {
            if (sample.receivedAt().isAfter(now)) {
                continue;
            }
            if (span.contains(sample.windowStart())) {
                (sample.variant() == Variant.on ? treatment : control).add(sample);
            } else if (sample.variant() == Variant.off && !sample.windowStart().isBefore(rolloutStartedAt)
                    && sample.windowStart().isBefore(span.startedAt())) {
                earlierControl.add(sample);
            }
        }
        return new StepObservation(span.step(), span.fromPercent(), span.percent(), span.startedAt(), now,
                control.counts(), treatment.counts(), earlierControl.counts());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static final class Tally {
        private long requests;
        private long errors;

        void add(RecordedSample sample) {
            requests += sample.requests();
            errors += sample.errors();
        }

        Counts counts() {
            return new Counts(requests, errors);
        }
    }
}
