package dev.twostep.bench.rollout;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A family of simulated rollouts: one traffic model, many seeds. Rollout {@code i} always gets the same seed,
 * so every analyzer faces the same rollouts.
 */
record Scenario(String name, Traffic traffic, int rollouts, long seed) {

    List<RolloutResult> runWith(Analyzer analyzer) {
        // Rollouts are independent and seeded by index, so running them in parallel changes nothing but the time.
        return IntStream.range(0, rollouts).parallel()
                .mapToObj(index -> analyzer.run(traffic, seed * 1_000_000 + index))
                .toList();
    }
}
