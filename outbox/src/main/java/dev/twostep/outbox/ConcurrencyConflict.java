package dev.twostep.outbox;

/**
 * Someone else appended to the aggregate since it was loaded. Nothing of this append is written;
 * {@link CommandPath} decides again, and a conflict that outlasts its attempts is answered with 409
 * by {@link ConcurrencyConflictMapper}.
 */
public class ConcurrencyConflict extends RuntimeException {

    private final String aggregateId;

    public ConcurrencyConflict(String aggregateId, long expectedVersion) {
        super("aggregate " + aggregateId + " has moved past version " + expectedVersion);
        this.aggregateId = aggregateId;
    }

    /** A row of the aggregate's read model changed since it was read: the same race, found at another write. */
    public ConcurrencyConflict(String aggregateId, RuntimeException cause) {
        super("aggregate " + aggregateId + " changed since it was read", cause);
        this.aggregateId = aggregateId;
    }

    public String aggregateId() {
        return aggregateId;
    }
}
