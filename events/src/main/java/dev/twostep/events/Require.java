package dev.twostep.events;

import java.util.List;

/**
 * Invariants every event must hold, checked when a record is built, whether by a producer
 * or by the JSON decoder. A consumer therefore never sees a half-formed event: decoding fails
 * and the message goes to the dead-letter topic instead.
 */
final class Require {

    private Require() {
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be present");
        }
        return value;
    }

    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    static long notNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
        return value;
    }
}
