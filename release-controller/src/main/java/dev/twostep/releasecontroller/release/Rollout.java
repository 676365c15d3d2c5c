package dev.twostep.releasecontroller.release;

import dev.twostep.events.ReleaseEvent.Plan;

/**
 * One rollout of a feature in an environment, as far as deciding needs it. {@code step} is 1-based:
 * at step N the audience is at {@code plan.steps[N-1]}; 0 until its first release. {@code version}
 * is the length of the rollout's own event stream (keyed by rollout id). {@code treatment} and
 * {@code control} are the variants a rollout of a flag definition compares; null for an audience.
 */
public record Rollout(String rolloutId, String environment, Plan plan, int step, boolean active, long version,
                      String treatment, String control) {

    public boolean atLastStep() {
        return step >= plan.steps().size();
    }

    /** The percentage of the step after the current one. */
    public double nextPercentage() {
        return plan.steps().get(step);
    }

    Rollout advanced() {
        return new Rollout(rolloutId, environment, plan, step + 1, active, version, treatment, control);
    }

    Rollout ended() {
        return new Rollout(rolloutId, environment, plan, step, false, version + 1, treatment, control);
    }
}
