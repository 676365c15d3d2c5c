package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.RolloutDecisionEvent.Counts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plays a rollout's recorded samples and Prometheus looks through the judge again, under any policy, and says what
 * would have been decided at each step and when. Pure, like the judge: the same history and policy always give the
 * same answer.
 *
 * <p>A sample belongs to the step during which its window started; a Prometheus look to the step it read. The judge
 * looks whenever a sample arrived (its {@code receivedAt}), whenever a Prometheus guard was read (each guard then
 * counts its latest look in the step, through {@link GuardLook#reading}, as the live judge does), and once more when
 * the step's {@code maxStepDuration} ran out, which is exactly when the live analyzer could have decided. The recorded
 * steps stay as they happened: a replay does not invent the later steps that an earlier advance would have started,
 * it only judges the ones that ran.
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

        public boolean contains(Instant time) {
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

    /** A rollout whose guards all count pushed samples. */
    public static List<ReplayedVerdict> replay(RolloutPolicy policy, List<StepSpan> steps,
                                               List<RecordedSample> samples, Instant until) {
        return replay(policy, steps, new History(samples, Set.of(), List.of()), until);
    }

    /**
     * What the analyzer recorded of a rollout.
     *
     * @param polledGuards the guards read from Prometheus, by name; every other guard counts pushed samples
     * @param looks        every look at those guards, in any order
     */
    public record History(List<RecordedSample> samples, Set<String> polledGuards, List<GuardLook> looks) {

        public History {
            samples = List.copyOf(samples);
            polledGuards = Set.copyOf(polledGuards);
            looks = looks.stream().sorted(Comparator.comparing(GuardLook::at)).toList();
        }

        /** The guard's latest look in the step at or before {@code now}, or null when it had none by then. */
        GuardLook latestLook(String guard, int step, Instant now) {
            GuardLook latest = null;
            for (GuardLook look : looks) {
                if (look.at().isAfter(now)) {
                    break;
                }
                if (look.step() == step && look.guard().equals(guard)) {
                    latest = look;
                }
            }
            return latest;
        }
    }

    /** @param until the end of the replay for the step still running (usually now) */
    public static List<ReplayedVerdict> replay(RolloutPolicy policy, List<StepSpan> steps, History history,
                                               Instant until) {
        List<ReplayedVerdict> verdicts = new ArrayList<>();
        for (StepSpan span : steps) {
            ReplayedVerdict verdict = judgeStep(policy, span, steps.getFirst().startedAt(), history, until);
            verdicts.add(verdict);
            if (!(verdict.verdict() instanceof Verdict.Advance)) {
                break; // a rollback, a hold or no conclusion would have stopped the rollout at this step
            }
        }
        return verdicts;
    }

    private static ReplayedVerdict judgeStep(RolloutPolicy policy, StepSpan span, Instant rolloutStartedAt,
                                             History history, Instant until) {
        Instant end = span.endedAt() != null ? span.endedAt() : until;
        TreeSet<Instant> looks = new TreeSet<>();
        for (RecordedSample sample : history.samples()) {
            if (span.contains(sample.windowStart())) {
                looks.add(later(sample.receivedAt(), span.startedAt()));
            }
        }
        for (GuardLook look : history.looks()) {
            if (look.step() == span.step() && history.polledGuards().contains(look.guard())) {
                looks.add(later(look.at(), span.startedAt()));
            }
        }
        Instant deadline = span.startedAt().plus(policy.maxStepDuration());
        looks.add(deadline.isBefore(end) ? deadline : end);
        Verdict last = null;
        Instant lastLook = span.startedAt();
        for (Instant look : looks.headSet(end, true)) {
            last = GuardFamily.judge(policy, readings(policy, span, rolloutStartedAt, history, look));
            lastLook = look;
            if (!(last instanceof Verdict.KeepWatching)) {
                break;
            }
        }
        if (last == null) {
            last = GuardFamily.judge(policy, readings(policy, span, rolloutStartedAt, history, end));
            lastLook = end;
        }
        return new ReplayedVerdict(span.step(), span.percent(), lastLook, last);
    }

    private static List<GuardReading> readings(RolloutPolicy policy, StepSpan span, Instant rolloutStartedAt,
                                               History history, Instant now) {
        List<GuardReading> readings = new ArrayList<>();
        for (GuardRule guard : policy.guards()) {
            if (history.polledGuards().contains(guard.name())) {
                readings.add(GuardLook.reading(guard, span, now, history.latestLook(guard.name(), span.step(), now)));
                continue;
            }
            boolean first = guard == policy.guards().getFirst();
            readings.add(new GuardReading(guard, observe(span, rolloutStartedAt,
                    history.samples().stream().filter(sample -> sample.countsFor(guard, first)).toList(), now), null));
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
