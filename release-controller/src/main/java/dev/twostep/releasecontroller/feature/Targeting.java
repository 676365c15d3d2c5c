package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A flag's {@code targeting}, in the subset of flagd's JsonLogic that Twostep accepts, compiled once when it is
 * written into a tree of small evaluators: evaluating reads the context and allocates nothing but what a comparison
 * needs, and never parses, so it stays well under a microsecond.
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

    @FunctionalInterface
    private interface Result {
        Choice choose(Facts facts, Bucketing bucketing);
    }

    @FunctionalInterface
    private interface Condition {
        boolean test(Facts facts);
    }

    @FunctionalInterface
    private interface Value {
        Object of(Facts facts);
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
        Compiler compiler = new Compiler(variants, segments);
        Result root = compiler.result(targeting, path, 1);
        return new Targeting(root, compiler.outcomes, compiler.references, compiler.splits);
    }

    /** Checks a segment: a condition that references no other segment. */
    public static void checkSegment(JsonNode rule, String path) {
        Compiler compiler = new Compiler(Set.of(), Map.of());
        compiler.insideSegment = true;
        compiler.condition(rule, path, 1);
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

    private static final class Compiler {

        private final Set<String> variants;
        private final Map<String, JsonNode> segments;
        private final Set<String> outcomes = new LinkedHashSet<>();
        private final Set<String> references = new HashSet<>();
        private boolean splits;
        private boolean insideSegment;
        private int nodes;

        Compiler(Set<String> variants, Map<String, JsonNode> segments) {
            this.variants = variants;
            this.segments = segments;
        }

        private void count(String path, int depth) {
            if (depth > MAX_DEPTH) {
                throw new InvalidDefinition(path, "nested deeper than " + MAX_DEPTH + " levels");
            }
            if (++nodes > MAX_NODES) {
                throw new InvalidDefinition(path, "more than " + MAX_NODES + " nodes in one targeting");
            }
        }

        Result result(JsonNode node, String path, int depth) {
            count(path, depth);
            if (node.isNull()) {
                return (facts, bucketing) -> null;
            }
            if (node.isTextual()) {
                String variant = node.asText();
                if (!variants.contains(variant)) {
                    throw new InvalidDefinition(path, "\"" + variant + "\" is not one of the flag's variants "
                            + variants);
                }
                outcomes.add(variant);
                Choice choice = new Choice(variant, false);
                return (facts, bucketing) -> choice;
            }
            String operation = operation(node, path);
            String at = path + "/" + escape(operation);
            JsonNode args = node.get(operation);
            return switch (operation) {
                case "if" -> ifResult(arguments(args, at, 2, Integer.MAX_VALUE, "if"), at, depth);
                case "fractional" -> fractional(arguments(args, at, 1, 100, "fractional"), at, depth);
                default -> throw new InvalidDefinition(at, "a targeting result must be a variant name, null, "
                        + "\"if\" or \"fractional\", not \"" + operation + "\"");
            };
        }

        private Result ifResult(List<JsonNode> args, String path, int depth) {
            int pairs = args.size() / 2;
            Condition[] conditions = new Condition[pairs];
            Result[] branches = new Result[pairs];
            for (int i = 0; i < pairs; i++) {
                conditions[i] = condition(args.get(2 * i), path + "/" + (2 * i), depth + 1);
                branches[i] = result(args.get(2 * i + 1), path + "/" + (2 * i + 1), depth + 1);
            }
            Result otherwise = args.size() % 2 == 1 ? result(args.getLast(), path + "/" + (args.size() - 1), depth + 1)
                    : (facts, bucketing) -> null;
            return (facts, bucketing) -> {
                for (int i = 0; i < conditions.length; i++) {
                    if (conditions[i].test(facts)) {
                        return branches[i].choose(facts, bucketing);
                    }
                }
                return otherwise.choose(facts, bucketing);
            };
        }

        /**
         * {@code [[variant, weight], ...]}: the release's {@link Bucketing} puts a user in the first variant whose
         * running share exceeds the user's bucket; with weights in thousandths of a percent (total 100,000) that is
         * exactly the bucketing of audiences, so growing a variant's share at the front never moves a user out of it.
         * Where the bucketing puts a user in no variant (the legacy scheme's float rounding), nothing matched.
         */
        private Result fractional(List<JsonNode> args, String path, int depth) {
            int count = args.size();
            Choice[] choices = new Choice[count];
            long[] weights = new long[count];
            long total = 0;
            for (int i = 0; i < count; i++) {
                String at = path + "/" + i;
                JsonNode entry = args.get(i);
                count(at, depth + 1);
                if (!entry.isArray() || entry.size() != 2 || !entry.get(0).isTextual()) {
                    throw new InvalidDefinition(at, "fractional takes [variant, weight] pairs; a bucketing "
                            + "expression other than the default (flag key + targetingKey) is not supported");
                }
                String variant = entry.get(0).asText();
                if (!variants.contains(variant)) {
                    throw new InvalidDefinition(at + "/0", "\"" + variant + "\" is not one of the flag's variants "
                            + variants);
                }
                JsonNode weight = entry.get(1);
                if (!weight.canConvertToExactIntegral() || weight.asLong() < 0 || weight.asLong() > Bucketing.BUCKETS) {
                    throw new InvalidDefinition(at + "/1", "fractional weight must be an integer in 0.."
                            + Bucketing.BUCKETS);
                }
                total += weight.asLong();
                weights[i] = weight.asLong();
                choices[i] = new Choice(variant, true);
                if (weight.asLong() > 0) {
                    outcomes.add(variant);
                }
            }
            if (total == 0) {
                throw new InvalidDefinition(path, "fractional weights must not all be 0");
            }
            splits = true;
            return (facts, bucketing) -> {
                if (facts.targetingKey() == null || facts.targetingKey().isEmpty()) {
                    throw new TargetingKeyMissing(facts.flagKey());
                }
                int chosen = bucketing.variantOf(facts.flagKey(), facts.targetingKey(), weights);
                return chosen == Bucketing.NONE ? null : choices[chosen];
            };
        }

        Condition condition(JsonNode node, String path, int depth) {
            count(path, depth);
            if (node.isBoolean()) {
                boolean constant = node.asBoolean();
                return facts -> constant;
            }
            if (!node.isObject()) {
                throw new InvalidDefinition(path, "a condition must be an operation, a segment reference or a "
                        + "boolean");
            }
            if (node.size() == 1 && node.has("$ref")) {
                return reference(node.get("$ref"), path + "/$ref", depth);
            }
            String operation = operation(node, path);
            String at = path + "/" + escape(operation);
            JsonNode args = node.get(operation);
            return switch (operation) {
                case "==", "!=" -> {
                    List<JsonNode> pair = arguments(args, at, 2, 2, operation);
                    Value left = value(pair.get(0), at + "/0", depth + 1);
                    Value right = value(pair.get(1), at + "/1", depth + 1);
                    boolean equal = operation.equals("==");
                    yield facts -> Values.looselyEqual(left.of(facts), right.of(facts)) == equal;
                }
                case "<", "<=", ">", ">=" -> comparison(operation, arguments(args, at, 2, 3, operation), at, depth);
                case "in" -> in(arguments(args, at, 2, 2, "in"), at, depth);
                case "starts_with", "ends_with" -> {
                    List<JsonNode> pair = arguments(args, at, 2, 2, operation);
                    Value subject = value(pair.get(0), at + "/0", depth + 1);
                    Value affix = value(pair.get(1), at + "/1", depth + 1);
                    boolean starts = operation.equals("starts_with");
                    yield facts -> subject.of(facts) instanceof String s && affix.of(facts) instanceof String a
                            && (starts ? s.startsWith(a) : s.endsWith(a));
                }
                case "sem_ver" -> semVer(arguments(args, at, 3, 3, "sem_ver"), at, depth);
                case "and", "or" -> {
                    List<JsonNode> parts = arguments(args, at, 1, Integer.MAX_VALUE, operation);
                    Condition[] each = new Condition[parts.size()];
                    for (int i = 0; i < each.length; i++) {
                        each[i] = condition(parts.get(i), at + "/" + i, depth + 1);
                    }
                    yield operation.equals("and") ? facts -> {
                        for (Condition c : each) {
                            if (!c.test(facts)) {
                                return false;
                            }
                        }
                        return true;
                    } : facts -> {
                        for (Condition c : each) {
                            if (c.test(facts)) {
                                return true;
                            }
                        }
                        return false;
                    };
                }
                case "!" -> {
                    JsonNode operand = args.isArray() ? arguments(args, at, 1, 1, "!").getFirst() : args;
                    Condition inner = condition(operand, args.isArray() ? at + "/0" : at, depth + 1);
                    yield facts -> !inner.test(facts);
                }
                case "var" -> {
                    Value variable = variable(args, at);
                    yield facts -> Values.truthy(variable.of(facts));
                }
                default -> throw new InvalidDefinition(at, unsupported(operation));
            };
        }

        private Condition reference(JsonNode name, String path, int depth) {
            if (insideSegment) {
                throw new InvalidDefinition(path, "a segment may not reference another segment");
            }
            if (!name.isTextual()) {
                throw new InvalidDefinition(path, "$ref must name a segment");
            }
            JsonNode segment = segments.get(name.asText());
            if (segment == null) {
                throw new InvalidDefinition(path, "unknown segment \"" + name.asText() + "\"; the environment has "
                        + new TreeSet<>(segments.keySet()));
            }
            references.add(name.asText());
            // Compiled in place, as flagd substitutes $ref, within the same depth and size budget.
            insideSegment = true;
            try {
                return condition(segment, path, depth + 1);
            } finally {
                insideSegment = false;
            }
        }

        private Condition comparison(String operation, List<JsonNode> args, String path, int depth) {
            Value[] operands = new Value[args.size()];
            for (int i = 0; i < operands.length; i++) {
                operands[i] = value(args.get(i), path + "/" + i, depth + 1);
            }
            boolean strict = operation.length() == 1;
            boolean less = operation.charAt(0) == '<';
            if (!less && operands.length == 3) {
                throw new InvalidDefinition(path, "\"" + operation + "\" takes 2 arguments (only < and <= take 3)");
            }
            return facts -> {
                double previous = Double.NaN;
                for (int i = 0; i < operands.length; i++) {
                    Double current = Values.orderable(operands[i].of(facts));
                    if (current == null) {
                        return false;
                    }
                    if (i > 0) {
                        int order = Double.compare(previous, current);
                        boolean holds = less ? (strict ? order < 0 : order <= 0) : (strict ? order > 0 : order >= 0);
                        if (!holds) {
                            return false;
                        }
                    }
                    previous = current;
                }
                return true;
            };
        }

        private Condition in(List<JsonNode> args, String path, int depth) {
            Value needle = value(args.get(0), path + "/0", depth + 1);
            JsonNode haystack = args.get(1);
            if (haystack.isArray()) {
                count(path + "/1", depth + 1);
                Set<Object> members = new HashSet<>();
                int i = 0;
                for (JsonNode member : haystack) {
                    String at = path + "/1/" + i++;
                    count(at, depth + 2);
                    if (!member.isValueNode() || member.isNull()) {
                        throw new InvalidDefinition(at, "\"in\" lists only strings, numbers and booleans");
                    }
                    members.add(Values.literal(member, at));
                }
                return facts -> {
                    Object found = needle.of(facts);
                    return found != null && members.contains(found instanceof Number n ? n.doubleValue() : found);
                };
            }
            Value text = value(haystack, path + "/1", depth + 1);
            return facts -> needle.of(facts) instanceof String part && text.of(facts) instanceof String whole
                    && whole.contains(part);
        }

        private Condition semVer(List<JsonNode> args, String path, int depth) {
            Value subject = value(args.get(0), path + "/0", depth + 1);
            JsonNode operator = args.get(1);
            if (!operator.isTextual() || !SemVer.OPERATORS.contains(operator.asText())) {
                throw new InvalidDefinition(path + "/1", "sem_ver operator must be one of " + SemVer.OPERATORS);
            }
            JsonNode versionNode = args.get(2);
            SemVer version = versionNode.isTextual() ? SemVer.parse(versionNode.asText()) : null;
            if (version == null) {
                throw new InvalidDefinition(path + "/2", "sem_ver needs a semantic version such as \"2.1.0\"");
            }
            String op = operator.asText();
            return facts -> subject.of(facts) instanceof String text && SemVer.parse(text) instanceof SemVer actual
                    && actual.satisfies(op, version);
        }

        private Value value(JsonNode node, String path, int depth) {
            count(path, depth);
            if (node.isValueNode()) {
                Object literal = node.isNull() ? null : Values.literal(node, path);
                return facts -> literal;
            }
            if (node.isObject() && node.size() == 1 && node.has("var")) {
                return variable(node.get("var"), path + "/var");
            }
            String operation = node.isObject() && node.size() == 1 ? node.fieldNames().next() : null;
            throw new InvalidDefinition(path, operation == null ? "an operand must be a var or a literal"
                    : "an operand must be a var or a literal, not \"" + operation + "\"");
        }

        private Value variable(JsonNode args, String path) {
            JsonNode name = args.isArray() && args.size() == 1 ? args.get(0) : args;
            if (!name.isTextual() || name.asText().isEmpty() || name.asText().length() > MAX_TEXT) {
                throw new InvalidDefinition(path, "var takes the name of a context attribute (a.b for nested), "
                        + "without a default");
            }
            String attribute = name.asText();
            if (attribute.equals("targetingKey")) {
                return Facts::targetingKey;
            }
            if (attribute.equals("$flagd.flagKey")) {
                return Facts::flagKey;
            }
            if (attribute.startsWith("$flagd.")) {
                throw new InvalidDefinition(path, "of flagd's properties only $flagd.flagKey is supported");
            }
            String[] steps = attribute.split("\\.", -1);
            return facts -> {
                JsonNode at = facts.attributes();
                for (String step : steps) {
                    if (at == null) {
                        return null;
                    }
                    at = at.get(step);
                }
                return Values.of(at);
            };
        }

        private static String operation(JsonNode node, String path) {
            if (!node.isObject() || node.size() != 1) {
                throw new InvalidDefinition(path, "an operation is an object with exactly one key, its name");
            }
            return node.fieldNames().next();
        }

        private static List<JsonNode> arguments(JsonNode args, String path, int min, int max, String operation) {
            if (!args.isArray()) {
                throw new InvalidDefinition(path, "\"" + operation + "\" takes an array of arguments");
            }
            if (args.size() < min || args.size() > max) {
                throw new InvalidDefinition(path, "\"" + operation + "\" takes " + (min == max ? min + ""
                        : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max) + " arguments, not "
                        + args.size());
            }
            List<JsonNode> list = new ArrayList<>(args.size());
            Iterator<JsonNode> each = args.elements();
            each.forEachRemaining(list::add);
            return list;
        }

        private static String unsupported(String operation) {
            return "unsupported operation \"" + operation + "\"; supported: ==, !=, <, <=, >, >=, in, starts_with, "
                    + "ends_with, sem_ver, and, or, !, var, $ref (and if, fractional as results)";
        }
    }

    /** RFC 6901: "~" is "~0", "/" is "~1". */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
