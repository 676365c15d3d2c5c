package dev.twostep.releasecontroller.release;

/** A command the current state of a feature's releases does not allow; nothing is appended. */
public final class Refused extends RuntimeException {

    public enum Kind { NOT_FOUND, CONFLICT }

    private final Kind kind;

    Refused(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
