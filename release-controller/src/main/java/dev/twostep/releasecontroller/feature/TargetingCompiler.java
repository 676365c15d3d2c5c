package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.releasecontroller.feature.Evaluators.Condition;
import dev.twostep.releasecontroller.feature.Evaluators.Result;
import dev.twostep.releasecontroller.feature.Targeting.Choice;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.twostep.releasecontroller.feature.ConditionCompiler.arguments;
import static dev.twostep.releasecontroller.feature.ConditionCompiler.operation;
import static dev.twostep.releasecontroller.feature.Targeting.escape;

/**
 * The parsing side of {@link Targeting}'s results: a variant name, {@code null}, {@code if} or {@code fractional},
 * checked once and turned into {@link Evaluators} nodes, their conditions by a {@link ConditionCompiler} within the
 * same budget. It notes what the release rules need: the variants the targeting can serve and whether it splits.
 */
final class TargetingCompiler {

    private final Set<String> variants;
    private final ConditionCompiler conditions;
    final Set<String> outcomes = new LinkedHashSet<>();
    boolean splits;

    TargetingCompiler(Set<String> variants, ConditionCompiler conditions) {
        this.variants = variants;
        this.conditions = conditions;
    }

    Result result(JsonNode node, String path, int depth) {
        conditions.count(path, depth);
        if (node.isNull()) {
            return new Evaluators.Fixed(null);
        }
        if (node.isTextual()) {
            outcomes.add(variant(node.asText(), path));
            return new Evaluators.Fixed(new Choice(node.asText(), false));
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

    private String variant(String name, String path) {
        if (!variants.contains(name)) {
            throw new InvalidDefinition(path, "\"" + name + "\" is not one of the flag's variants " + variants);
        }
        return name;
    }

    private Result ifResult(List<JsonNode> args, String path, int depth) {
        int pairs = args.size() / 2;
        Condition[] when = new Condition[pairs];
        Result[] branches = new Result[pairs];
        for (int i = 0; i < pairs; i++) {
            when[i] = conditions.condition(args.get(2 * i), path + "/" + (2 * i), depth + 1);
            branches[i] = result(args.get(2 * i + 1), path + "/" + (2 * i + 1), depth + 1);
        }
        Result otherwise = args.size() % 2 == 1 ? result(args.getLast(), path + "/" + (args.size() - 1), depth + 1)
                : new Evaluators.Fixed(null);
        return new Evaluators.FirstMatch(when, branches, otherwise);
    }

    /** {@code [[variant, weight], ...]} with integer weights in 0..100,000, not all 0. */
    private Result fractional(List<JsonNode> args, String path, int depth) {
        Choice[] choices = new Choice[args.size()];
        long[] weights = new long[args.size()];
        for (int i = 0; i < args.size(); i++) {
            String at = path + "/" + i;
            JsonNode entry = args.get(i);
            conditions.count(at, depth + 1);
            if (!entry.isArray() || entry.size() != 2 || !entry.get(0).isTextual()) {
                throw new InvalidDefinition(at, "fractional takes [variant, weight] pairs; a bucketing "
                        + "expression other than the default (flag key + targetingKey) is not supported");
            }
            String variant = variant(entry.get(0).asText(), at + "/0");
            JsonNode weight = entry.get(1);
            if (!weight.canConvertToExactIntegral() || weight.asLong() < 0 || weight.asLong() > Bucketing.BUCKETS) {
                throw new InvalidDefinition(at + "/1", "fractional weight must be an integer in 0.."
                        + Bucketing.BUCKETS);
            }
            weights[i] = weight.asLong();
            choices[i] = new Choice(variant, true);
            if (weights[i] > 0) {
                outcomes.add(variant);
            }
        }
        if (Arrays.stream(weights).sum() == 0) {
            throw new InvalidDefinition(path, "fractional weights must not all be 0");
        }
        splits = true;
        return new Evaluators.Split(choices, weights);
    }
}
