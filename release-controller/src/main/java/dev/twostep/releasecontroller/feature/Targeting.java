package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.releasecontroller.feature.Evaluators.Result;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.Map;
import java.util.Set;

/**
 * A flag's {@code targeting}, in the subset of flagd's JsonLogic that Twostep accepts, compiled once when it is
 * written into a tree of small evaluators: evaluating reads the context and allocates nothing but what a comparison
 * needs, and never parses, so it stays well under a microsecond. {@link TargetingCompiler} and
 * {@link ConditionCompiler} parse and check; {@link Evaluators} evaluate.
 *
 * <p>The subset has three positions, and each accepts only what has one meaning in it:
 * <ul>
 *   <li><b>result</b> (the targeting itself, and the branches of an {@code if}): a variant name, {@code null} (no
 *       match: the default variant), {@code if} whose conditions are tried in order (first match wins), or
 *       {@code fractional} with explicit integer weights;</li>
 *   <li><b>condition</b>: {@code == != < <= > >= in starts_with ends_with sem_ver and or !}, a segment
 *       {@code {"$ref": name}}, a {@code var}, or a boolean;</li>
 *   <li><b>value</b> (an operand of a comparison): a {@code var} or a literal.</li>
 * </ul>
 * Anything else is refused with the JSON Pointer of the node and the operation: unknown operations, regular
 * expressions (there are none here, so no pattern can be catastrophic), a variant that the flag does not declare,
 * nesting deeper than {@link #MAX_DEPTH} or more than {@link #MAX_NODES} nodes. Because results are only variant
 * names, the variants a targeting can serve are known at write time ({@link #outcomes()}), which is what the release
 * rule needs.
 */
public final class Targeting {

    public static final int MAX_DEPTH = 24;
    public static final int MAX_NODES = 2_000;
    public static final int MAX_TEXT = 1_024;

    /** The variant chosen and whether a split chose it (reason SPLIT rather than TARGETING_MATCH). */
    public record Choice(String variant, boolean split) {
    }

    /** What evaluation reads: the flag's key for bucketing, the targeting key, and the context's other attributes. */
    public record Facts(String flagKey, String targetingKey, JsonNode attributes) {
    }

    /** A split was reached but the context has no targeting key to bucket. */
    public static final class TargetingKeyMissing extends RuntimeException {
        TargetingKeyMissing(String flagKey) {
            super(flagKey + " splits its audience here; a targetingKey is needed", null, false, false);
        }
    }

    private final Result root;
    private final Set<String> outcomes;
    private final Set<String> references;
    private final boolean splits;

    private Targeting(Result root, Set<String> outcomes, Set<String> references, boolean splits) {
        this.root = root;
        this.outcomes = Set.copyOf(outcomes);
        this.references = Set.copyOf(references);
        this.splits = splits;
    }

    /**
     * Compiles a flag's targeting. {@code variants} are the flag's variant names; {@code segments} the environment's
     * segments, each a condition; {@code path} the pointer of {@code targeting} in the submitted document.
     */
    public static Targeting compile(JsonNode targeting, Set<String> variants, Map<String, JsonNode> segments,
                                    String path) {
        ConditionCompiler conditions = new ConditionCompiler(segments, false);
        TargetingCompiler compiler = new TargetingCompiler(variants, conditions);
        Result root = compiler.result(targeting, path, 1);
        return new Targeting(root, compiler.outcomes, conditions.references, compiler.splits);
    }

    /** Checks a segment: a condition that references no other segment. */
    public static void checkSegment(JsonNode rule, String path) {
        new ConditionCompiler(Map.of(), true).condition(rule, path, 1);
    }

    /**
     * The variant the targeting picks for these facts, a split bucketing them by the release's bucketing, or null
     * when nothing matched (the default variant).
     */
    public Choice choose(Facts facts, Bucketing bucketing) {
        return root.choose(facts, bucketing);
    }

    /** Every variant the targeting can return. */
    public Set<String> outcomes() {
        return outcomes;
    }

    /** The segments it references. */
    public Set<String> references() {
        return references;
    }

    public boolean splits() {
        return splits;
    }

    /** RFC 6901: "~" is "~0", "/" is "~1". */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
