package dev.twostep.bench.rollout;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.rolloutanalyzer.decision.Policy;
import dev.twostep.rolloutanalyzer.decision.RolloutJudge;
import dev.twostep.rolloutanalyzer.decision.StepObservation;
import dev.twostep.rolloutanalyzer.decision.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The real {@link RolloutJudge}, asked after every batch, as the rollout-analyzer service asks it. */
record TwostepAnalyzer(Policy policy, List<Double> steps) implements Analyzer {

    @Override
    public String name() {
        return "Twostep";
    }

    @Override
    public RolloutResult run(Traffic traffic, long rolloutSeed) {
        Instant start = Instant.EPOCH;
        Instant stepStart = start;
        Counts previousStepsControl = new Counts(0, 0);
        long exposure = 0;
        int batchIndex = 0;
        for (int step = 0; step < steps.size(); step++) {
            double percent = steps.get(step);
            double fromPercent = step == 0 ? 0 : steps.get(step - 1);
            Counts control = new Counts(0, 0);
            Counts treatment = new Counts(0, 0);
            Verdict verdict;
            do {
                Traffic.Batch batch = traffic.batch(rolloutSeed, batchIndex++, percent);
                control = add(control, batch.controlRequests(), batch.controlErrors());
                treatment = add(treatment, batch.treatmentRequests(), batch.treatmentErrors());
                exposure += batch.treatmentRequests();
                Instant now = start.plus(Traffic.BATCH.multipliedBy(batchIndex));
                StepObservation observation = percent >= 100
                        ? StepObservation.atFullRollout(step, fromPercent, stepStart, now, treatment,
                        previousStepsControl)
                        : StepObservation.withConcurrentControl(step, fromPercent, percent, stepStart, now, control,
                        treatment);
                verdict = RolloutJudge.judge(policy, observation);
            } while (verdict instanceof Verdict.KeepWatching);

            Duration elapsed = Traffic.BATCH.multipliedBy(batchIndex);
            switch (verdict) {
                case Verdict.Rollback rollback -> {
                    return new RolloutResult(RolloutResult.Outcome.ROLLED_BACK, step, exposure, elapsed);
                }
                case Verdict.Hold hold -> {
                    RolloutResult.Outcome outcome = hold.reason() == Verdict.Hold.Reason.TOO_FEW_TREATMENT_REQUESTS
                            ? RolloutResult.Outcome.HELD_TOO_FEW_REQUESTS
                            : RolloutResult.Outcome.HELD_INCONCLUSIVE;
                    return new RolloutResult(outcome, step, exposure, elapsed);
                }
                case Verdict.Advance advance -> {
                    previousStepsControl = add(previousStepsControl, control.requests(), control.errors());
                    stepStart = start.plus(elapsed);
                }
                case Verdict.KeepWatching watching -> throw new IllegalStateException("the loop ends on a decision");
            }
        }
        return new RolloutResult(RolloutResult.Outcome.COMPLETED, steps.size() - 1, exposure,
                Traffic.BATCH.multipliedBy(batchIndex));
    }

    private static Counts add(Counts counts, long requests, long errors) {
        return new Counts(counts.requests() + requests, counts.errors() + errors);
    }
}
