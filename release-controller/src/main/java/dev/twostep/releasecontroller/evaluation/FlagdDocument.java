package dev.twostep.releasecontroller.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One environment's flags as one flagd flag-definition document ({@code flags} and {@code $evaluators}), for
 * flagd or an OpenFeature provider in in-process mode. A definition is exported as written; an audience as the
 * boolean flag that evaluates alike: variants {@code on}/{@code off}, listed users by {@code in} on the targeting
 * key, the percentage as a {@code fractional} over 100,000. A feature never released in the environment is exported
 * DISABLED. Each released flag names its bucketing in its {@code metadata}: a reader that buckets by that scheme
 * gives every user the variant Twostep gives; one that buckets by the other splits the same shares differently.
 */
public final class FlagdDocument {

    public static final String SCHEMA = "https://flagd.dev/schema/v0/flags.json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FlagdDocument() {
    }

    public static ObjectNode of(String environment, Collection<Flag> flags) {
        ObjectNode document = NODES.objectNode();
        document.put("$schema", SCHEMA);
        document.putObject("metadata").put("flagSetId", "twostep/" + environment);
        ObjectNode exported = document.putObject("flags");
        Map<String, JsonNode> evaluators = new TreeMap<>();
        for (Flag flag : flags) {
            FlagRelease release = flag.environments().get(environment);
            exported.set(flag.key(), release == null ? disabled()
                    : release.definition() == null ? audience(release)
                    : definition(release, evaluators));
        }
        if (!evaluators.isEmpty()) {
            document.set("$evaluators", NODES.objectNode().setAll(evaluators));
        }
        return document;
    }

    /**
     * The definition as written with its {@code $ref}s, its segments added to {@code $evaluators} and its bucketing
     * to its {@code metadata}. Two definitions may carry
     * different rules for one segment for the moment a segment change takes to reach both; the later one in key
     * order then gets its segments inlined, so each flag is exported with the rule it is evaluated with here.
     */
    private static JsonNode definition(FlagRelease release, Map<String, JsonNode> evaluators) {
        Map<String, JsonNode> segments = release.definition().segmentRules();
        boolean agrees = segments.entrySet().stream()
                .allMatch(e -> !evaluators.containsKey(e.getKey()) || evaluators.get(e.getKey()).equals(e.getValue()));
        JsonNode flag = release.definition().source().deepCopy();
        if (agrees) {
            evaluators.putAll(segments);
        } else {
            flag = inline(flag, segments);
        }
        ((ObjectNode) flag).withObjectProperty("metadata").put("bucketing", release.bucketing().eventName());
        return flag;
    }

    private static JsonNode inline(JsonNode node, Map<String, JsonNode> segments) {
        if (node.isObject() && node.size() == 1 && node.has("$ref") && segments.containsKey(node.get("$ref").asText())) {
            return segments.get(node.get("$ref").asText()).deepCopy();
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            object.fieldNames().forEachRemaining(name -> object.set(name, inline(object.get(name), segments)));
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, inline(array.get(i), segments));
            }
        }
        return node;
    }

    private static ObjectNode booleanFlag(String state, String defaultVariant) {
        ObjectNode flag = NODES.objectNode();
        flag.put("state", state);
        flag.putObject("variants").put(FlagEvaluator.ON, true).put(FlagEvaluator.OFF, false);
        flag.put("defaultVariant", defaultVariant);
        return flag;
    }

    private static ObjectNode disabled() {
        return booleanFlag("DISABLED", FlagEvaluator.OFF);
    }

    private static ObjectNode audience(FlagRelease release) {
        boolean everyone = release.bucketsIn() >= Bucketing.BUCKETS;
        ObjectNode flag = booleanFlag("ENABLED", everyone ? FlagEvaluator.ON : FlagEvaluator.OFF);
        flag.set("metadata", NODES.objectNode().put("percentage", release.percentage())
                .put("bucketing", release.bucketing().eventName()));
        JsonNode share = everyone || release.bucketsIn() == 0 ? null : split(release.bucketsIn());
        if (release.users().isEmpty() || everyone) {
            if (share != null) {
                flag.set("targeting", share);
            }
            return flag;
        }
        ArrayNode users = NODES.arrayNode();
        new TreeSet<>(release.users()).forEach(users::add);
        ObjectNode listed = NODES.objectNode();
        listed.putArray("in").add(NODES.objectNode().put("var", "targetingKey")).add(users);
        ArrayNode rule = flag.putObject("targeting").putArray("if").add(listed).add(FlagEvaluator.ON);
        if (share != null) {
            rule.add(share);
        }
        return flag;
    }

    private static JsonNode split(int bucketsIn) {
        ObjectNode fractional = NODES.objectNode();
        fractional.putArray("fractional")
                .add(NODES.arrayNode().add(FlagEvaluator.ON).add(bucketsIn))
                .add(NODES.arrayNode().add(FlagEvaluator.OFF).add(Bucketing.BUCKETS - bucketsIn));
        return fractional;
    }
}
