package dev.twostep.bench.ofrep;

import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.releasecontroller.evaluation.Evaluation;
import dev.twostep.releasecontroller.evaluation.FlagEvaluator;
import dev.twostep.releasecontroller.evaluation.FlagRelease;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.release.Bucketing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * What one OFREP evaluation costs inside the release-controller, without HTTP: the snapshot lookup
 * and the evaluation itself, over 1,000 flags released in "prod" to a mix of audiences.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OfrepEvaluationBenchmark {

    private static final int FLAGS = 1_000;
    private static final int USERS = 4_096;

    private final FlagSnapshot snapshot = new FlagSnapshot();
    private String[] flagKeys;
    private String[] targetingKeys;
    private int next;

    @Setup
    public void fill() {
        flagKeys = IntStream.range(0, FLAGS).mapToObj(i -> "feature-" + i + "-checkout").toArray(String[]::new);
        targetingKeys = IntStream.range(0, USERS).mapToObj(i -> "user-" + i + "@example.com").toArray(String[]::new);
        for (int i = 0; i < FLAGS; i++) {
            // 60 % percentage splits (those hash), the rest everyone, nobody or listed users.
            Audience audience = switch (i % 5) {
                case 0 -> new Audience(100, List.of());
                case 1 -> new Audience(0, List.of("user-1@example.com", "user-2@example.com"));
                default -> new Audience((i % 97) + 0.5, List.of());
            };
            snapshot.define(flagKeys[i]);
            snapshot.release(flagKeys[i], "prod", FlagRelease.of(audience, 1 + i, i % 7 == 0 ? "ro-" + i : null,
                    Bucketing.FLAGD_FRACTIONAL));
        }
    }

    /** One flag for one user: what POST /ofrep/v1/evaluate/flags/{key} does once the body is read. */
    @Benchmark
    public Evaluation evaluateOneFlag() {
        int n = next++;
        return FlagEvaluator.evaluate(snapshot.flag(flagKeys[n % FLAGS]).orElseThrow(), "prod",
                targetingKeys[n & (USERS - 1)]);
    }

    /** Every flag for one user: what the bulk endpoint does before it serialises the answer. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void evaluateAllFlags(Blackhole sink) {
        String user = targetingKeys[next++ & (USERS - 1)];
        snapshot.all().forEach(flag -> sink.consume(FlagEvaluator.evaluate(flag, "prod", user)));
    }
}
