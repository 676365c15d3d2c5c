package dev.twostep.deployorchestrator.rest;

/**
 * Who acts, until authentication arrives (issue 9): the optional {@code X-Twostep-Actor} header.
 */
final class Actors {

    static final String HEADER = "X-Twostep-Actor";

    private Actors() {
    }

    static String or(String header, String fallback) {
        return header == null || header.isBlank() ? fallback : header.strip();
    }
}
