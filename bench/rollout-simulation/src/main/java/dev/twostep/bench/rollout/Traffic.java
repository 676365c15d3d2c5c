package dev.twostep.bench.rollout;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A service's traffic and the true error rates of its two arms. Draws the batches every analyzer sees.
 *
 * @param requestsPerSecond  all requests, both arms together
 * @param controlErrorRate   the error probability with the variant off
 * @param treatmentErrorRate the error probability with the variant on
 */
record Traffic(int requestsPerSecond, double controlErrorRate, double treatmentErrorRate) {

    /** How often metric samples arrive, and so how often the Twostep judge looks. */
    static final Duration BATCH = Duration.ofSeconds(10);

    /** One batch's requests and errors per arm. */
    record Batch(long controlRequests, long controlErrors, long treatmentRequests, long treatmentErrors) {
    }

    /**
     * Batch {@code index} of the rollout with this seed, at the given audience. The requests are split by the
     * audience percentage; errors are Binomial. Each batch draws from its own random stream, seeded by the
     * rollout and the index, and draws the treatment first: two analyzers at the same audience therefore see
     * the very same requests and errors (common random numbers), whatever they did before, and an analyzer
     * that reads only the treatment sees the same treatment too.
     */
    Batch batch(long rolloutSeed, int index, double treatmentPercent) {
        SplittableRandom random = new SplittableRandom(rolloutSeed << 32 | index);
        long requests = requestsPerSecond * BATCH.toSeconds();
        long treatmentRequests = Math.round(requests * treatmentPercent / 100);
        long controlRequests = requests - treatmentRequests;
        long treatmentErrors = binomial(random, treatmentRequests, treatmentErrorRate);
        long controlErrors = binomial(random, controlRequests, controlErrorRate);
        return new Batch(controlRequests, controlErrors, treatmentRequests, treatmentErrors);
    }

    /**
     * An exact Binomial(trials, probability) draw: jump from one success to the next by geometric gaps.
     * It costs one logarithm per success, cheap for error rates of a few percent.
     */
    static long binomial(SplittableRandom random, long trials, double probability) {
        if (probability > 0.5) {
            return trials - binomial(random, trials, 1 - probability);
        }
        if (probability == 0) {
            return 0;
        }
        double logOfMiss = Math.log1p(-probability);
        long successes = 0;
        long position = 0;
        while (true) {
            position += 1 + (long) Math.floor(Math.log(1 - random.nextDouble()) / logOfMiss);
            if (position > trials) {
                return successes;
            }
            successes++;
        }
    }
}
