package dev.twostep.bench.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one evaluation of a flag definition costs inside the release-controller, without HTTP: a string flag with
 * five rules (a segment, sem_ver, in, starts_with and a numeric range under and) and a three-way split as its last
 * result, compiled once as when it is written, evaluated for 4,096 contexts in turn, most of which fall through the
 * five rules to the split (the slowest path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DefinitionEvaluationBenchmark {

    private static final int CONTEXTS = 4_096;
    private static final String KEY = "checkout-theme";
    private static final String DEFINITION = """
            {"state": "ENABLED", "defaultVariant": "classic",
             "variants": {"classic": "classic", "dark": "dark", "neon": "neon"},
             "targeting": {"if": [
               {"$ref": "staff"}, "neon",
               {"sem_ver": [{"var": "appVersion"}, "<", "2.0.0"]}, "classic",
               {"in": [{"var": "country"}, ["de", "fr", "nl", "be", "at"]]}, "dark",
               {"starts_with": [{"var": "email"}, "ops."]}, "neon",
               {"and": [{">=": [{"var": "age"}, 65]}, {"==": [{"var": "plan"}, "pro"]}]}, "dark",
               {"fractional": [["dark", 25000], ["neon", 25000], ["classic", 50000]]}]}}""";

    private final FlagSnapshot snapshot = new FlagSnapshot();
    private final JsonNode[] contexts = new JsonNode[CONTEXTS];
    private final String[] targetingKeys = new String[CONTEXTS];
    private int next;

    @Setup
    public void fill() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> segments = Map.of("staff",
                json.readTree("{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}"));
        snapshot.define(KEY);
        snapshot.release(KEY, "prod", FlagRelease.of(json.readTree(DEFINITION), segments, 1, null,
                Bucketing.FLAGD_FRACTIONAL));
        String[] countries = {"us", "jp", "br", "de"};
        for (int i = 0; i < CONTEXTS; i++) {
            targetingKeys[i] = "user-" + i + "@shop.org";
            contexts[i] = json.readTree("{\"targetingKey\": \"" + targetingKeys[i] + "\", \"email\": \""
                    + targetingKeys[i] + "\", \"appVersion\": \"2." + (i % 7) + ".0\", \"country\": \""
                    + countries[i % countries.length] + "\", \"age\": " + (18 + i % 60) + ", \"plan\": \"free\"}");
        }
    }

    /** One definition for one context: what POST /ofrep/v1/evaluate/flags/{key} does once the body is read. */
    @Benchmark
    public Evaluation evaluateFiveRulesAndASplit() {
        int n = next++ & (CONTEXTS - 1);
        return FlagEvaluator.evaluate(snapshot.flag(KEY).orElseThrow(), "prod", targetingKeys[n], contexts[n]);
    }
}
