package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.releasecontroller.feature.Evaluators.Condition;
import dev.twostep.releasecontroller.feature.Evaluators.Value;
import dev.twostep.releasecontroller.feature.Targeting.Facts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.twostep.releasecontroller.feature.Targeting.MAX_DEPTH;
import static dev.twostep.releasecontroller.feature.Targeting.MAX_NODES;
import static dev.twostep.releasecontroller.feature.Targeting.MAX_TEXT;
import static dev.twostep.releasecontroller.feature.Targeting.escape;

/**
 * The parsing side of {@link Targeting}'s conditions and operands, and the walk's shared budget and syntax: each
 * node is checked against the subset once, the first offending one refused with its JSON Pointer and the rule, and
 * turned into an {@link Evaluators} node. A segment's rule is compiled in place of its {@code $ref}, and noted.
 */
final class ConditionCompiler {

    private final Map<String, JsonNode> segments;
    final Set<String> references = new HashSet<>();
    private boolean insideSegment;
    private int nodes;

    /** {@code segmentOnly}: compiling a segment's own rule, which may not reference another segment. */
    ConditionCompiler(Map<String, JsonNode> segments, boolean segmentOnly) {
        this.segments = segments;
        this.insideSegment = segmentOnly;
    }

    /** Counts a node against the budget of the whole targeting, results included. */
    void count(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidDefinition(path, "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (++nodes > MAX_NODES) {
            throw new InvalidDefinition(path, "more than " + MAX_NODES + " nodes in one targeting");
        }
    }

    Condition condition(JsonNode node, String path, int depth) {
        count(path, depth);
        if (node.isBoolean()) {
            return new Evaluators.Constant(node.asBoolean());
        }
        if (!node.isObject()) {
            throw new InvalidDefinition(path, "a condition must be an operation, a segment reference or a boolean");
        }
        if (node.size() == 1 && node.has("$ref")) {
            return reference(node.get("$ref"), path + "/$ref", depth);
        }
        String operation = operation(node, path);
        String at = path + "/" + escape(operation);
        JsonNode args = node.get(operation);
        return switch (operation) {
            case "==", "!=" -> {
                Value[] pair = values(arguments(args, at, 2, 2, operation), at, depth);
                yield new Evaluators.Equality(pair[0], pair[1], operation.equals("=="));
            }
            case "<", "<=", ">", ">=" -> comparison(operation, arguments(args, at, 2, 3, operation), at, depth);
            case "in" -> in(arguments(args, at, 2, 2, "in"), at, depth);
            case "starts_with", "ends_with" -> {
                Value[] pair = values(arguments(args, at, 2, 2, operation), at, depth);
                yield new Evaluators.Affix(pair[0], pair[1], operation.equals("starts_with"));
            }
            case "sem_ver" -> semVer(arguments(args, at, 3, 3, "sem_ver"), at, depth);
            case "and", "or" -> {
                List<JsonNode> parts = arguments(args, at, 1, Integer.MAX_VALUE, operation);
                Condition[] each = new Condition[parts.size()];
                for (int i = 0; i < each.length; i++) {
                    each[i] = condition(parts.get(i), at + "/" + i, depth + 1);
                }
                yield new Evaluators.Junction(each, operation.equals("and"));
            }
            case "!" -> {
                JsonNode operand = args.isArray() ? arguments(args, at, 1, 1, "!").getFirst() : args;
                yield new Evaluators.Not(condition(operand, args.isArray() ? at + "/0" : at, depth + 1));
            }
            case "var" -> new Evaluators.Truthy(variable(args, at));
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
        Value[] operands = values(args, path, depth);
        boolean less = operation.charAt(0) == '<';
        if (!less && operands.length == 3) {
            throw new InvalidDefinition(path, "\"" + operation + "\" takes 2 arguments (only < and <= take 3)");
        }
        return new Evaluators.Ordered(operands, less, operation.length() == 1);
    }

    private Condition in(List<JsonNode> args, String path, int depth) {
        Value needle = value(args.get(0), path + "/0", depth + 1);
        JsonNode haystack = args.get(1);
        if (!haystack.isArray()) {
            return new Evaluators.Substring(needle, value(haystack, path + "/1", depth + 1));
        }
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
        return new Evaluators.Member(needle, members);
    }

    private Condition semVer(List<JsonNode> args, String path, int depth) {
        Value subject = value(args.get(0), path + "/0", depth + 1);
        JsonNode operator = args.get(1);
        if (!operator.isTextual() || !SemVer.OPERATORS.contains(operator.asText())) {
            throw new InvalidDefinition(path + "/1", "sem_ver operator must be one of " + SemVer.OPERATORS);
        }
        JsonNode version = args.get(2);
        SemVer parsed = version.isTextual() ? SemVer.parse(version.asText()) : null;
        if (parsed == null) {
            throw new InvalidDefinition(path + "/2", "sem_ver needs a semantic version such as \"2.1.0\"");
        }
        return new Evaluators.SemVerMatch(subject, operator.asText(), parsed);
    }

    /** The operands of a comparison, each at its index under {@code path}. */
    private Value[] values(List<JsonNode> args, String path, int depth) {
        Value[] operands = new Value[args.size()];
        for (int i = 0; i < operands.length; i++) {
            operands[i] = value(args.get(i), path + "/" + i, depth + 1);
        }
        return operands;
    }

    private Value value(JsonNode node, String path, int depth) {
        count(path, depth);
        if (node.isValueNode()) {
            return new Evaluators.Literal(node.isNull() ? null : Values.literal(node, path));
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
        return new Evaluators.Attribute(attribute.split("\\.", -1));
    }

    static String operation(JsonNode node, String path) {
        if (!node.isObject() || node.size() != 1) {
            throw new InvalidDefinition(path, "an operation is an object with exactly one key, its name");
        }
        return node.fieldNames().next();
    }

    static List<JsonNode> arguments(JsonNode args, String path, int min, int max, String operation) {
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
