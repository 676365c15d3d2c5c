package dev.twostep.problems;

import dev.twostep.refusals.Refused;

import java.util.List;

/**
 * A client's request that the service refuses, with the status and the reason to tell it. Throw it
 * before anything is written, or from inside the transaction so that everything rolls back.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.Violation> violations;

    public ProblemException(int status, String title, String detail, List<Problem.Violation> violations) {
        super(detail);
        this.status = status;
        this.title = title;
        this.violations = List.copyOf(violations);
    }

    /** A decision's refusal, with the status of its kind. */
    public static ProblemException of(Refused refused) {
        return switch (refused.kind()) {
            case NOT_FOUND -> notFound(refused.getMessage());
            case CONFLICT -> conflict(refused.getMessage());
            case FORBIDDEN -> forbidden(refused.getMessage());
        };
    }

    public static ProblemException invalid(String field, String rule) {
        return new ProblemException(400, "Invalid request", field + ": " + rule,
                List.of(new Problem.Violation(field, rule)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, List.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, List.of());
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of());
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(422, "Unprocessable request", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
