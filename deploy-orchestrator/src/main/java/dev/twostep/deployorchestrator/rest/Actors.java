package dev.twostep.deployorchestrator.rest;

import dev.twostep.problems.ProblemException;

/**
 * Who acts, until authentication arrives (issue 9): the optional {@code X-Twostep-Actor} header.
 */
final class Actors {

    static final String HEADER = "X-Twostep-Actor";
    private static final int LONGEST = 200;

    private Actors() {
    }

    /** The header's actor, or {@code fallback} without one; every event records it, so it stays short. */
    static String or(String header, String fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        if (header.strip().length() > LONGEST) {
            throw ProblemException.invalid(HEADER, "must be at most " + LONGEST + " characters");
        }
        return header.strip();
    }
}
