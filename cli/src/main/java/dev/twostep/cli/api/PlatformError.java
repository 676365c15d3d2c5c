package dev.twostep.cli.api;

/** Something the person at the terminal can act on; the CLI prints the message alone, without a stack trace. */
public class PlatformError extends RuntimeException {

    public PlatformError(String message) {
        super(message);
    }
}
