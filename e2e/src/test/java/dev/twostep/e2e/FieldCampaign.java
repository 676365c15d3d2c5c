package dev.twostep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Field-by-field breakage of one request schema from a service's OpenAPI document. It starts from a document that is
 * valid for the schema, then breaks one field at a time: missing, null, of another JSON type, out of its declared
 * range, longer than its declared length, not matching its declared pattern, or with control characters; fields
 * nested in objects and in the first element of arrays included.
 *
 * <p>Whether a broken document must be refused is decided from the schema: a missing or null field that is not
 * required, or an over-long text whose length the schema does not bound, may legitimately be accepted, so such a
 * case only may not fail the server; every other case breaks a rule the schema states and must be refused.
 */
final class FieldCampaign {

    /** One broken document: the field, how it is broken, and whether the schema obliges the service to refuse it. */
    record Case(String field, String breakage, JsonNode body, boolean mustBeRefused) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * Values tried, in order, for a text field with a pattern, after which each alternative of the pattern itself:
     * the first that matches the whole pattern within the declared length is the valid value. A schema whose pattern
     * none matches fails the campaign, saying so.
     */
    private static final List<String> VALID_TEXT = List.of("hostile", "1.0.0", "x", "external", "errorRate",
            "https://ci.example.com/runs/1", "pkg:oci/hostile", "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    /** Values tried for a text that breaks a pattern: the first that the pattern cannot find anywhere in it. */
    private static final List<String> BREAKS_PATTERN = List.of(" ", "", "\u2603 \u2603");

    private static final List<String> CONTROL_CHARACTERS = List.of("a\u0000b", "a\u001bb", "a\u007fb");

    private final JsonNode schemas;
    private int moments;

    FieldCampaign(JsonNode openApi) {
        this.schemas = openApi.path("components").path("schemas");
    }

    /** A document valid for the schema, with every optional field present, so each can be broken. */
    JsonNode validDocument(JsonNode schema) {
        moments = 0;
        return valid(schema, "body");
    }

    /** Every case of the schema, each a copy of {@code valid} with one field broken. */
    List<Case> cases(JsonNode schema, JsonNode valid) {
        List<Case> cases = new ArrayList<>();
        breakFields(resolve(schema), valid, "", root -> root, valid, cases);
        return cases;
    }

    /**
     * Documents with one to three of the schema's own fields replaced by seeded random JSON values of any shape:
     * deeper than random field names, which all stop at the unknown-field check.
     */
    List<Case> generated(JsonNode valid, Random random, int count) {
        List<String> fields = new ArrayList<>();
        leaves(valid, "", fields);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count && !fields.isEmpty(); i++) {
            JsonNode document = valid.deepCopy();
            Set<String> replaced = new TreeSet<>();
            int howMany = 1 + random.nextInt(Math.min(3, fields.size()));
            for (int j = 0; j < howMany; j++) {
                String field = fields.get(random.nextInt(fields.size()));
                replace(document, field, randomJson(random, 2));
                replaced.add(field);
            }
            cases.add(new Case(String.join(",", replaced), "random values", document, false));
        }
        return cases;
    }

    /**
     * A random JSON value of any shape, drawn only from {@code random}, so that the seed makes it again. Text mixes
     * ASCII, control characters and characters beyond the Basic Multilingual Plane.
     */
    static JsonNode randomJson(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 8 : 6)) {
            case 0 -> NODES.textNode(randomText(random));
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> NODES.numberNode(random.nextInt(3) - 1);
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomJson(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(randomText(random), randomJson(random, depth - 1));
                }
                yield object;
            }
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(41); i > 0; i--) {
            int kind = random.nextInt(10);
            text.appendCodePoint(kind == 0 ? random.nextInt(0x20) : kind == 1 ? 0x1F600 + random.nextInt(80)
                    : 0x20 + random.nextInt(0x5F));
        }
        return text.toString();
    }

    private JsonNode valid(JsonNode schema, String field) {
        JsonNode resolved = resolve(schema);
        if (resolved.has("enum")) {
            return resolved.get("enum").get(0);
        }
        return switch (resolved.path("type").asText("")) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                resolved.path("properties").properties().forEach(property ->
                        object.set(property.getKey(), valid(property.getValue(), property.getKey())));
                yield object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = 0; i < Math.max(1, resolved.path("minItems").asInt(0)); i++) {
                    array.add(valid(resolved.path("items"), field));
                }
                yield array;
            }
            case "string" -> NODES.textNode(validText(resolved, field));
            case "integer" -> NODES.numberNode((long) inRange(resolved, true));
            case "number" -> NODES.numberNode(inRange(resolved, false));
            case "boolean" -> NODES.booleanNode(true);
            default -> NODES.objectNode();
        };
    }

    /** Times and durations grow through the document, so that every "start before end" rule holds. */
    private String validText(JsonNode schema, String field) {
        switch (schema.path("format").asText("")) {
            case "date-time" -> {
                return Instant.parse("2026-11-20T10:00:00Z").plusSeconds(60L * moments++).toString();
            }
            case "duration" -> {
                return "PT" + (++moments) + "M";
            }
            default -> {
                int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
                int min = schema.path("minLength").asInt(0);
                String declared = schema.path("pattern").asText(".*");
                Pattern pattern = Pattern.compile(declared);
                // A pattern of alternative words ("kubernetes|external") names its own valid values.
                return Stream.concat(VALID_TEXT.stream(), Stream.of(declared.split("\\|")))
                        .filter(text -> pattern.matcher(text).matches() && text.length() <= max && text.length() >= min)
                        .findFirst().orElseThrow(() -> new IllegalStateException("no valid text for " + field
                                + " with pattern " + pattern + ": add one to FieldCampaign.VALID_TEXT"));
            }
        }
    }

    private static double inRange(JsonNode schema, boolean integer) {
        JsonNode low = schema.has("minimum") ? schema.get("minimum") : numeric(schema.path("exclusiveMinimum"));
        JsonNode high = schema.has("maximum") ? schema.get("maximum") : numeric(schema.path("exclusiveMaximum"));
        if (low != null && high != null) {
            double middle = (low.asDouble() + high.asDouble()) / 2;
            return integer ? Math.floor(middle) : middle;
        }
        if (low != null) {
            return low.asDouble() + 1;
        }
        return high != null ? high.asDouble() - 1 : 1;
    }

    private void breakFields(JsonNode schema, JsonNode value, String prefix, java.util.function.Function<JsonNode,
            JsonNode> locate, JsonNode valid, List<Case> cases) {
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        schema.path("properties").properties().forEach(property -> {
            String name = property.getKey();
            String field = prefix.isEmpty() ? name : prefix + "." + name;
            JsonNode fieldSchema = resolve(property.getValue());
            boolean isRequired = required.contains(name);
            Consumer<ObjectNode> remove = parent -> parent.remove(name);
            cases.add(mutated(valid, locate, remove, field, "missing", isRequired));
            cases.add(mutated(valid, locate, parent -> parent.putNull(name), field, "null", isRequired));
            for (Breakage breakage : breakages(fieldSchema)) {
                cases.add(mutated(valid, locate, parent -> parent.set(name, breakage.value()), field,
                        breakage.name(), breakage.mustBeRefused()));
            }
            JsonNode child = value.path(name);
            if ("object".equals(fieldSchema.path("type").asText()) && child.isObject()) {
                breakFields(fieldSchema, child, field, root -> locate.apply(root).path(name), valid, cases);
            }
            if ("array".equals(fieldSchema.path("type").asText()) && !child.isEmpty()) {
                JsonNode items = resolve(fieldSchema.path("items"));
                String first = field + "[0]";
                if ("object".equals(items.path("type").asText())) {
                    breakFields(items, child.get(0), first, root -> locate.apply(root).path(name).get(0), valid,
                            cases);
                } else {
                    for (Breakage breakage : breakages(items)) {
                        cases.add(mutatedElement(valid, locate, name, first, breakage));
                    }
                }
            }
        });
    }

    private static Case mutated(JsonNode valid, java.util.function.Function<JsonNode, JsonNode> locate,
                                Consumer<ObjectNode> change, String field, String breakage, boolean mustBeRefused) {
        JsonNode copy = valid.deepCopy();
        change.accept((ObjectNode) locate.apply(copy));
        return new Case(field, breakage, copy, mustBeRefused);
    }

    private static Case mutatedElement(JsonNode valid, java.util.function.Function<JsonNode, JsonNode> locate,
                                       String array, String field, Breakage breakage) {
        JsonNode copy = valid.deepCopy();
        ((ArrayNode) locate.apply(copy).path(array)).set(0, breakage.value());
        return new Case(field, breakage.name(), copy, breakage.mustBeRefused());
    }

    private record Breakage(String name, JsonNode value, boolean mustBeRefused) {
    }

    /** What breaks a value of this schema: other types always, and each rule the schema states. */
    private List<Breakage> breakages(JsonNode schema) {
        List<Breakage> breakages = new ArrayList<>();
        String type = schema.has("enum") ? "enum" : schema.path("type").asText("");
        switch (type) {
            case "enum" -> {
                breakages.add(new Breakage("not one of the values", NODES.textNode("NOT_A_VALUE"), true));
                breakages.add(new Breakage("number for text", NODES.numberNode(12345), true));
                controlCharacters(breakages);
            }
            case "string" -> {
                breakages.add(new Breakage("number for text", NODES.numberNode(12345), true));
                breakages.add(new Breakage("boolean for text", NODES.booleanNode(true), true));
                breakages.add(new Breakage("object for text", NODES.objectNode().put("nested", true), true));
                breakages.add(new Breakage("array for text", NODES.arrayNode().add("a"), true));
                controlCharacters(breakages);
                textRules(schema, breakages);
            }
            case "integer", "number" -> {
                breakages.add(new Breakage("text for a number", NODES.textNode("12"), true));
                breakages.add(new Breakage("boolean for a number", NODES.booleanNode(true), true));
                breakages.add(new Breakage("array for a number", NODES.arrayNode().add(1), true));
                breakages.add(new Breakage("beyond any integer", NODES.numberNode(new BigInteger(
                        "99999999999999999999999")), "integer".equals(type) || schema.has("maximum")
                        || schema.path("exclusiveMaximum").isNumber()));
                if ("integer".equals(type)) {
                    breakages.add(new Breakage("fraction for an integer", NODES.numberNode(1.5), true));
                }
                numberRules(schema, breakages);
            }
            case "boolean" -> {
                breakages.add(new Breakage("text for a boolean", NODES.textNode("true"), true));
                breakages.add(new Breakage("number for a boolean", NODES.numberNode(1), true));
            }
            case "array" -> {
                breakages.add(new Breakage("text for an array", NODES.textNode("x"), true));
                breakages.add(new Breakage("object for an array", NODES.objectNode(), true));
                if (schema.path("minItems").asInt(0) > 0) {
                    breakages.add(new Breakage("fewer items than allowed", NODES.arrayNode(), true));
                }
                int maxItems = schema.path("maxItems").asInt(Integer.MAX_VALUE);
                // Beyond a few hundred items the body limit answers first, and names the body, not the field.
                if (maxItems <= 500) {
                    ArrayNode tooMany = NODES.arrayNode();
                    JsonNode item = valid(schema.path("items"), "item");
                    for (int i = 0; i <= maxItems; i++) {
                        // Items of a set must differ, or the service counts them as one.
                        tooMany.add(item.isTextual() && schema.path("uniqueItems").asBoolean()
                                ? NODES.textNode(item.asText() + i) : item);
                    }
                    breakages.add(new Breakage("more items than allowed", tooMany, true));
                }
            }
            case "object" -> {
                breakages.add(new Breakage("text for an object", NODES.textNode("x"), true));
                breakages.add(new Breakage("array for an object", NODES.arrayNode(), true));
                breakages.add(new Breakage("number for an object", NODES.numberNode(12), true));
            }
            default -> {
                // An untyped value (a free JSON document) has no rule to break field by field.
            }
        }
        return breakages;
    }

    private static void controlCharacters(List<Breakage> breakages) {
        for (String text : CONTROL_CHARACTERS) {
            breakages.add(new Breakage("control character U+" + String.format("%04X", (int) text.charAt(1)),
                    NODES.textNode(text), true));
        }
    }

    private static void textRules(JsonNode schema, List<Breakage> breakages) {
        switch (schema.path("format").asText("")) {
            case "date-time" -> {
                breakages.add(new Breakage("not a date", NODES.textNode("2026-02-30T00:00:00Z"), true));
                breakages.add(new Breakage("year beyond RFC 3339", NODES.textNode("+999999999-12-31T23:59:59Z"),
                        true));
                breakages.add(new Breakage("not a time", NODES.textNode("yesterday"), true));
            }
            case "duration" -> breakages.add(new Breakage("not a duration", NODES.textNode("5 minutes"), true));
            default -> {
                if (schema.has("maxLength")) {
                    breakages.add(new Breakage("longer than allowed",
                            NODES.textNode("a".repeat(schema.get("maxLength").asInt() + 1)), true));
                } else {
                    breakages.add(new Breakage("long text, no declared limit", NODES.textNode("a".repeat(10_000)),
                            false));
                }
                if (schema.has("pattern")) {
                    Pattern pattern = Pattern.compile(schema.get("pattern").asText());
                    BREAKS_PATTERN.stream().filter(text -> !pattern.matcher(text).find()).findFirst().ifPresent(text ->
                            breakages.add(new Breakage("not matching " + pattern, NODES.textNode(text), true)));
                }
            }
        }
    }

    /** OpenAPI 3.1 states an exclusive bound as a number; 3.0's boolean form is not used by these services. */
    private static JsonNode numeric(JsonNode bound) {
        return bound.isNumber() ? bound : null;
    }

    private static void numberRules(JsonNode schema, List<Breakage> breakages) {
        if (schema.has("minimum")) {
            breakages.add(new Breakage("below the minimum", NODES.numberNode(schema.get("minimum").asDouble() - 1),
                    true));
        }
        if (schema.path("exclusiveMinimum").isNumber()) {
            breakages.add(new Breakage("at the exclusive minimum", schema.get("exclusiveMinimum"), true));
        }
        if (schema.has("maximum")) {
            breakages.add(new Breakage("above the maximum", NODES.numberNode(schema.get("maximum").asDouble() + 1),
                    true));
        }
        if (schema.path("exclusiveMaximum").isNumber()) {
            breakages.add(new Breakage("at the exclusive maximum", schema.get("exclusiveMaximum"), true));
        }
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode resolved = schema;
        while (resolved.has("$ref")) {
            String name = resolved.get("$ref").asText().replaceFirst("^#/components/schemas/", "");
            resolved = schemas.path(name);
        }
        return resolved;
    }

    /** The paths of the document's scalar values, array elements included (for example {@code artefacts[0].name}). */
    private static void leaves(JsonNode node, String path, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(field -> leaves(field.getValue(), path.isEmpty() ? field.getKey()
                    : path + "." + field.getKey(), into));
        } else if (node.isArray() && !node.isEmpty()) {
            into.add(path);
            leaves(node.get(0), path + "[0]", into);
        } else {
            into.add(path);
        }
    }

    /** Sets the value at a path that {@link #leaves} produced. */
    private static void replace(JsonNode document, String path, JsonNode value) {
        JsonNode parent = document;
        Iterator<String> steps = List.of(path.split("\\.")).iterator();
        while (steps.hasNext()) {
            String step = steps.next();
            boolean element = step.endsWith("[0]");
            String name = element ? step.substring(0, step.length() - 3) : step;
            if (!steps.hasNext()) {
                if (element && parent.path(name).isArray() && !parent.path(name).isEmpty()) {
                    ((ArrayNode) parent.get(name)).set(0, value);
                } else if (parent.isObject()) {
                    ((ObjectNode) parent).set(name, value);
                }
                return;
            }
            parent = element ? parent.path(name).path(0) : parent.path(name);
            if (!parent.isContainerNode()) {
                return; // an earlier replacement took the way there
            }
        }
    }
}
