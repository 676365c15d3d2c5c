package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Evidence;

/** What the judge concluded about a step, always with the evidence that a person or a program can check. */
public sealed interface Verdict {

    Evidence evidence();

    /** The treatment is shown to be within the guard and the step's minimums are met: go to the next step. */
    record Advance(Evidence evidence) implements Verdict {
    }

    /** The treatment is shown to be worse than the guard allows: turn the variant off. */
    record Rollback(Evidence evidence) implements Verdict {
    }

    /** The step ran out of time without a conclusion: stay here and ask a person. */
    record Hold(Reason reason, Evidence evidence) implements Verdict {

        public enum Reason {
            /** The step saw fewer treatment requests than the plan asks for; more traffic or time is needed. */
            TOO_FEW_TREATMENT_REQUESTS,
            /** Enough treatment requests, but the bounds still include the threshold: the effect is close to the guard. */
            INCONCLUSIVE
        }
    }

    /** No decision yet; judge again when more data has arrived. */
    record KeepWatching(Evidence evidence) implements Verdict {
    }
}
