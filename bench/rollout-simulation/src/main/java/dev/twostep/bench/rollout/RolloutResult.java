package dev.twostep.bench.rollout;

import java.time.Duration;

/**
 * How one simulated rollout ended.
 *
 * @param outcome           what the analyzer decided last
 * @param step              the index of the step it ended in
 * @param treatmentRequests the requests that saw the variant over the whole rollout: the exposure
 * @param elapsed           simulated time from the start to the end
 */
record RolloutResult(Outcome outcome, int step, long treatmentRequests, Duration elapsed) {

    enum Outcome { COMPLETED, ROLLED_BACK, HELD_TOO_FEW_REQUESTS, HELD_INCONCLUSIVE }
}
