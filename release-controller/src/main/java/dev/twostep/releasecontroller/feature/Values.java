package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JsonLogic's values as targeting sees them: strings, numbers (as doubles), booleans and null. Equality is
 * JavaScript's loose {@code ==} over these, as JsonLogic defines it, so that flagd and Twostep agree.
 */
final class Values {

    private Values() {
    }

    /** A context attribute: a leaf as its value; an object or array is opaque (it equals nothing). */
    static Object of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node;
    }

    static Object literal(JsonNode node, String path) {
        if (node.isTextual() && node.asText().length() > Targeting.MAX_TEXT) {
            throw new InvalidDefinition(path, "a string literal may have at most " + Targeting.MAX_TEXT + " characters");
        }
        return of(node);
    }

    static boolean looselyEqual(Object left, Object right) {
        if (left == null || right == null) {
            return left == right;
        }
        if (left instanceof JsonNode || right instanceof JsonNode) {
            return false;
        }
        if (left.getClass() == right.getClass()) {
            return left.equals(right);
        }
        Double a = number(left);
        Double b = number(right);
        return a != null && b != null && a.doubleValue() == b.doubleValue();
    }

    /** JavaScript's ToNumber for a number, a numeric string or a boolean; null when it has none. */
    static Double number(Object value) {
        return switch (value) {
            case Double d -> d;
            case Boolean b -> b ? 1.0 : 0.0;
            case String s when !s.isBlank() -> {
                try {
                    yield Double.valueOf(s.strip());
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case null, default -> null;
        };
    }

    /**
     * What {@code < <= > >=} compare: a number, or a string that reads as one; nothing else (a boolean neither), as
     * in the JsonLogic evaluator that flagd's Java provider uses, so that both answer alike.
     */
    static Double orderable(Object value) {
        return value instanceof Boolean ? null : number(value);
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Double d -> d != 0 && !d.isNaN();
            case String s -> !s.isEmpty();
            case JsonNode node -> !node.isArray() || !node.isEmpty();
            default -> true;
        };
    }
}
