package dev.twostep.releasecontroller.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** One flag's OFREP result: a boolean value with its variant and reason, or an error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Evaluation {

    String key();

    record Success(String key, boolean value, String variant, String reason, Map<String, Object> metadata)
            implements Evaluation {
    }

    record Failure(String key, String errorCode, String errorDetails) implements Evaluation {
    }
}
