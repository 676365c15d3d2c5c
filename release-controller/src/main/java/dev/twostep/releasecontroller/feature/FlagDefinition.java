package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A feature's flag in one environment, in flagd's flag-definition format: variants of one {@link Type}, a default
 * variant, a state, and an optional targeting compiled at write time. {@link #parse} accepts exactly what Twostep
 * evaluates and refuses the rest with the JSON Pointer of the first offending node.
 */
public record FlagDefinition(JsonNode source, Type type, Map<String, JsonNode> variants, String defaultVariant,
                             boolean enabled, Targeting targeting, Map<String, JsonNode> metadata,
                             Map<String, JsonNode> segmentRules) {

    public static final int MAX_VARIANTS = 64;
    private static final Set<String> FIELDS = Set.of("state", "variants", "defaultVariant", "targeting", "metadata");

    /** flagd's four flag types; a flag's variants all have one. */
    public enum Type {
        BOOLEAN, STRING, NUMBER, OBJECT;

        static Type of(JsonNode value) {
            return value.isBoolean() ? BOOLEAN : value.isTextual() ? STRING : value.isNumber() ? NUMBER
                    : value.isObject() ? OBJECT : null;
        }

        String lowerCase() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Reads and checks a definition against the environment's segments; throws {@link InvalidDefinition}. */
    public static FlagDefinition parse(JsonNode source, Map<String, JsonNode> segments) {
        if (source == null || !source.isObject()) {
            throw new InvalidDefinition("", "a flag definition is an object with state, variants, defaultVariant "
                    + "and an optional targeting");
        }
        for (Iterator<String> names = source.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidDefinition("/" + Targeting.escape(name), "unknown field; a definition has "
                        + "state, variants, defaultVariant, targeting and metadata");
            }
        }
        JsonNode state = source.path("state");
        if (!state.isTextual() || !(state.asText().equals("ENABLED") || state.asText().equals("DISABLED"))) {
            throw new InvalidDefinition("/state", "must be ENABLED or DISABLED");
        }
        Map<String, JsonNode> variants = new LinkedHashMap<>();
        Type type = variants(source.path("variants"), variants);
        JsonNode defaultVariant = source.path("defaultVariant");
        if (!defaultVariant.isTextual() || !variants.containsKey(defaultVariant.asText())) {
            throw new InvalidDefinition("/defaultVariant", "must name one of the variants " + variants.keySet());
        }
        JsonNode targetingSource = source.path("targeting");
        boolean noTargeting = targetingSource.isMissingNode() || targetingSource.isNull()
                || targetingSource.isObject() && targetingSource.isEmpty();
        Targeting targeting = noTargeting ? null
                : Targeting.compile(targetingSource, variants.keySet(), segments, "/targeting");
        Map<String, JsonNode> referenced = new LinkedHashMap<>();
        if (targeting != null) {
            targeting.references().forEach(name -> referenced.put(name, segments.get(name)));
        }
        return new FlagDefinition(source, type, Map.copyOf(variants), defaultVariant.asText(),
                state.asText().equals("ENABLED"), targeting, metadata(source.path("metadata")), Map.copyOf(referenced));
    }

    private static Type variants(JsonNode node, Map<String, JsonNode> into) {
        if (!node.isObject() || node.isEmpty() || node.size() > MAX_VARIANTS) {
            throw new InvalidDefinition("/variants", "must be an object of 1 to " + MAX_VARIANTS
                    + " named values of one type (boolean, string, number or object)");
        }
        Type type = null;
        String first = null;
        for (Iterator<Map.Entry<String, JsonNode>> each = node.fields(); each.hasNext(); ) {
            Map.Entry<String, JsonNode> variant = each.next();
            String path = "/variants/" + Targeting.escape(variant.getKey());
            if (variant.getKey().isEmpty() || variant.getKey().length() > 128) {
                throw new InvalidDefinition(path, "a variant name has 1 to 128 characters");
            }
            Type its = Type.of(variant.getValue());
            if (its == null) {
                throw new InvalidDefinition(path, "a variant is a boolean, string, number or object");
            }
            if (type == null) {
                type = its;
                first = variant.getKey();
            } else if (its != type) {
                throw new InvalidDefinition(path, "type mismatch: " + its.lowerCase() + ", but variant \"" + first
                        + "\" is " + type.lowerCase() + "; a flag's variants all have one type");
            }
            into.put(variant.getKey(), variant.getValue());
        }
        return type;
    }

    private static Map<String, JsonNode> metadata(JsonNode node) {
        if (node.isMissingNode()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidDefinition("/metadata", "must be an object of strings, numbers and booleans");
        }
        Map<String, JsonNode> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> each = node.fields(); each.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = each.next();
            JsonNode value = entry.getValue();
            if (!(value.isTextual() || value.isNumber() || value.isBoolean())) {
                throw new InvalidDefinition("/metadata/" + Targeting.escape(entry.getKey()),
                        "metadata values are strings, numbers or booleans");
            }
            metadata.put(entry.getKey(), value);
        }
        return Map.copyOf(metadata);
    }

    /** Whether some context can get another variant than the default: what needs the feature's code deployed. */
    public boolean canServeNonDefault() {
        return enabled && targeting != null && targeting.outcomes().stream().anyMatch(v -> !v.equals(defaultVariant));
    }


    /** The same flag without its targeting: what is left when the feature is rolled back or its code leaves. */
    public JsonNode withoutTargeting() {
        ObjectNode copy = ((ObjectNode) source).deepCopy();
        copy.remove("targeting");
        return copy;
    }
}
