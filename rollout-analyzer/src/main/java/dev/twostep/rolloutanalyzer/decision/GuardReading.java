package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.SourceEvidence;

import java.util.Objects;

/**
 * One guard's data for one look at a step.
 *
 * @param source where the counts came from, or null for pushed samples; a source that failed carries
 *               {@code noData} and the observation then holds no counts, which can neither advance nor roll back
 */
public record GuardReading(GuardRule guard, StepObservation observation, SourceEvidence source) {

    public GuardReading {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(observation, "observation");
    }

    public boolean noData() {
        return source != null && source.noData() != null;
    }
}
