package dev.twostep.problems;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}. {@code violations} names
 * each offending field and the rule it broke, so a client can fix its request without guessing.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record Violation(String field, String rule) {
    }
}
