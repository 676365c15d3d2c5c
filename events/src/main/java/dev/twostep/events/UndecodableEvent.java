package dev.twostep.events;

/** A message that can never become an event: it belongs in the dead-letter topic, with this message as the reason. */
public class UndecodableEvent extends RuntimeException {

    public UndecodableEvent(String reason) {
        super(reason);
    }

    public UndecodableEvent(String reason, Throwable cause) {
        super(reason, cause);
    }
}
