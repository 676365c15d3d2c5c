package dev.twostep.refusals;

/**
 * A command that an aggregate's pure decision refuses because of the state the aggregate is in. The decision throws
 * it before anything is appended, so the transaction rolls back and nothing changes; every REST API answers it as
 * problem+json with the status of its {@link Kind} (problem-details' {@code ProblemMappers}). A domain says what is
 * wrong and never how HTTP says it, and no service maps refusals by hand.
 */
public final class Refused extends RuntimeException {

    /** Why the command cannot run, which is also the status a client gets. */
    public enum Kind {
        /** What the command names does not exist (404). */
        NOT_FOUND,
        /** The aggregate's state does not allow the command now (409). */
        CONFLICT,
        /** The state allows the command, but not by this person, such as approving one's own deployment (403). */
        FORBIDDEN
    }

    private final Kind kind;

    private Refused(Kind kind, String message) {
        // No stack trace: a refusal is an answer to a client, not a fault to debug, and decisions throw many.
        super(message, null, false, false);
        this.kind = kind;
    }

    public static Refused notFound(String message) {
        return new Refused(Kind.NOT_FOUND, message);
    }

    public static Refused conflict(String message) {
        return new Refused(Kind.CONFLICT, message);
    }

    public static Refused forbidden(String message) {
        return new Refused(Kind.FORBIDDEN, message);
    }

    public Kind kind() {
        return kind;
    }
}
