package dev.twostep.releasecontroller.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One flag's OFREP result: a value of the flag's type (boolean for an audience; a boolean, string, number or object
 * for a definition) with its variant and reason, or an error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Evaluation {

    String key();

    record Success(String key, Object value, String variant, String reason, Map<String, Object> metadata)
            implements Evaluation {
    }

    record Failure(String key, String errorCode, String errorDetails) implements Evaluation {
    }
}
