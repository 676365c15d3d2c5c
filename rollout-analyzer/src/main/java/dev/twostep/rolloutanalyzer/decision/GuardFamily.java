package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.Forecast;
import dev.twostep.events.RolloutDecisionEvent.GuardEvidence;
import dev.twostep.rolloutanalyzer.decision.Verdict.Hold.Reason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Judges a step on all of a rollout's guards at once. Each guard gets its own verdict from {@link RolloutJudge}
 * at its share of α ({@link RolloutPolicy}); the step's verdict is:
 * <ol>
 *   <li>roll back when any acting guard rolls back (the first in plan order decides);</li>
 *   <li>advance when every acting guard advances;</li>
 *   <li>hold when {@code maxStepDuration} has passed without either; {@code too few treatment requests} when any
 *       acting guard lacks them, otherwise {@code inconclusive};</li>
 *   <li>otherwise keep watching.</li>
 * </ol>
 * Dry-run guards are judged the same way and recorded, and never change the outcome. A guard whose source had
 * no data has no counts, so it can neither advance nor roll back: a failing source holds the step at
 * {@code maxStepDuration}, never advances it.
 *
 * <p>The decision's top-level evidence is the deciding guard's, so a reader of one-guard decisions reads a
 * multi-guard one unchanged; {@code guards} holds every guard's, and {@code forecast} what an undecided step
 * needs: the most that any undecided acting guard needs, since the step waits for all of them.
 */
public final class GuardFamily {

    private GuardFamily() {
    }

    public static Verdict judge(RolloutPolicy policy, List<GuardReading> readings) {
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("a step is judged on at least one guard");
        }
        List<Judged> judged = readings.stream().map(reading -> Judged.of(policy, reading)).toList();
        List<Judged> acting = judged.stream().filter(one -> one.reading().guard().acting()).toList();
        if (acting.isEmpty()) {
            throw new IllegalArgumentException("a step is judged on at least one acting guard");
        }
        List<GuardEvidence> all = judged.stream().map(Judged::evidence).toList();
        boolean several = judged.size() > 1;

        Optional<Judged> rollback = acting.stream().filter(one -> one.verdict() instanceof Verdict.Rollback).findFirst();
        if (rollback.isPresent()) {
            return new Verdict.Rollback(combined(rollback.get(), all, null, several, judged));
        }
        if (acting.stream().allMatch(one -> one.verdict() instanceof Verdict.Advance)) {
            // The guard closest to its threshold is the one that let the step advance last.
            Judged closest = acting.stream().max(Comparator.comparingDouble(
                    one -> one.verdict().evidence().statistic() / one.verdict().evidence().threshold())).orElseThrow();
            return new Verdict.Advance(combined(closest, all, null, several, judged));
        }
        List<Judged> undecided = acting.stream().filter(one -> !(one.verdict() instanceof Verdict.Advance)).toList();
        Judged neediest = undecided.stream().max(Comparator.comparingLong(Judged::need)).orElseThrow();
        Forecast forecast = neediest.forecast().orElse(null);
        if (neediest.verdict() instanceof Verdict.Hold) {
            Reason reason = undecided.stream().anyMatch(one -> one.verdict() instanceof Verdict.Hold hold
                    && hold.reason() == Reason.TOO_FEW_TREATMENT_REQUESTS)
                    ? Reason.TOO_FEW_TREATMENT_REQUESTS : Reason.INCONCLUSIVE;
            return new Verdict.Hold(reason, combined(neediest, all, forecast, several, judged));
        }
        return new Verdict.KeepWatching(combined(neediest, all, forecast, several, judged));
    }

    private static Evidence combined(Judged decider, List<GuardEvidence> all, Forecast forecast, boolean several,
                                     List<Judged> judged) {
        Evidence own = decider.verdict().evidence();
        StringBuilder summary = new StringBuilder();
        if (several) {
            summary.append("guard ").append(decider.reading().guard().name()).append(": ");
        }
        summary.append(decider.summary());
        if (forecast != null) {
            summary.append("; ").append(EvidenceText.forecast(forecast));
        }
        for (Judged one : judged) {
            if (!one.reading().guard().acting()) {
                summary.append("; dry-run ").append(one.reading().guard().name()).append(": ")
                        .append(one.verdictName());
            }
        }
        return new Evidence(own.window(), own.control(), own.treatment(), own.method(), own.statistic(),
                own.threshold(), own.baseline(), summary.toString(), decider.reading().guard().name(), all, forecast);
    }

    /** One guard's verdict, with what it still needs when it has not decided. */
    private record Judged(GuardReading reading, double alpha, Verdict verdict, Optional<Forecast> forecast) {

        static Judged of(RolloutPolicy policy, GuardReading reading) {
            Policy own = policy.policyOf(reading.guard());
            Verdict verdict = RolloutJudge.judge(own, reading.observation());
            boolean decided = verdict instanceof Verdict.Advance || verdict instanceof Verdict.Rollback;
            return new Judged(reading, policy.alphaOf(reading.guard()), verdict,
                    decided ? Optional.empty() : StepForecast.of(own, reading.observation()));
        }

        /** The guard's summary, led by the reason its source had no data when it had none. */
        String summary() {
            String own = verdict.evidence().summary();
            return reading.noData() ? "no data (" + reading.source().noData() + "); " + own : own;
        }

        /** Requests still needed; a step that cannot decide at all needs the most. */
        long need() {
            return forecast.map(Forecast::moreTreatmentRequests).orElse(Long.MAX_VALUE);
        }

        String verdictName() {
            return nameOf(verdict);
        }

        GuardEvidence evidence() {
            Evidence own = verdict.evidence();
            return new GuardEvidence(reading.guard().name(), reading.guard().metric(), reading.guard().acting(),
                    verdictName(), own.control(), own.treatment(), own.statistic(), own.threshold(), alpha, summary(),
                    reading.source(), forecast.orElse(null));
        }
    }

    /** The same names the decisions endpoint and the replay use. */
    public static String nameOf(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Advance ignored -> "advance";
            case Verdict.Rollback ignored -> "rollback";
            case Verdict.Hold ignored -> "hold";
            case Verdict.KeepWatching ignored -> "keep-watching";
        };
    }
}
