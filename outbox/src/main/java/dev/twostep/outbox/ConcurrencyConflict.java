package dev.twostep.outbox;

/**
 * Someone else appended to the aggregate since it was loaded. Nothing of this append is written;
 * the caller may reload and decide again, or report a conflict.
 */
public class ConcurrencyConflict extends RuntimeException {

    public ConcurrencyConflict(String aggregateId, long expectedVersion) {
        super("aggregate " + aggregateId + " has moved past version " + expectedVersion);
    }
}
