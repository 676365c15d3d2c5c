package dev.twostep.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How far the relay has published the event store: every position up to {@code publishedThrough} is published,
 * except the {@code gaps}, which the relay passed while they were not visible.
 *
 * <p>Positions come from a sequence and are taken before a transaction commits, so a transaction that commits late
 * shows its lower positions after higher ones were already published. A gap is therefore not yet "nothing": it may
 * be a transaction still in progress (it will commit, and must then be published) or one that rolled back (its
 * positions stay empty forever). Each gap carries a horizon, a transaction id that the writer of any position in the
 * gap is known to be older than. Once the oldest transaction still running on the server is younger than the
 * horizon, the writer has ended, and a gap that is still empty then will stay empty: it is forgotten. So the relay
 * reads only the few gaps and the tail past {@code publishedThrough}, and never scans what it has published, however
 * long the history.
 *
 * <p>Publishing past a gap keeps each aggregate in order: an aggregate's next event is only ever appended by a
 * transaction that read its previous one committed, so no committed event can follow a gap of its own aggregate.
 */
public record RelayCursor(long publishedThrough, List<Gap> gaps) {

    /**
     * Positions {@code from..to} (inclusive) not seen yet, written, if at all, by a transaction older than
     * {@code horizon}.
     */
    public record Gap(long from, long to, long horizon) {
        public Gap {
            if (from > to) {
                throw new IllegalArgumentException("an empty gap " + from + ".." + to);
            }
        }
    }

    public RelayCursor {
        gaps = List.copyOf(gaps);
    }

    public static RelayCursor at(long publishedThrough) {
        return new RelayCursor(publishedThrough, List.of());
    }

    /**
     * The cursor after one read. The read returned {@code seen}, in position order: the visible rows of the gaps and
     * of the tail past {@code publishedThrough}, at most {@code limit} of them.
     *
     * @param oldestRunning the oldest transaction id still running, read before the rows (so that any transaction
     *                      older than it had committed or rolled back when the rows were read)
     * @param horizon       gives a transaction id taken after the rows were read, which every writer of a position the
     *                      read passed over without seeing it is older than; asked only when the tail has new gaps
     */
    public RelayCursor after(List<Long> seen, int limit, long oldestRunning, LongSupplier horizon) {
        // A full read may have stopped before the end of a gap or of the tail; only what lies up to its last row was
        // looked at. Positions beyond it are left as they were.
        long lookedUpTo = seen.size() >= limit ? seen.getLast() : Long.MAX_VALUE;
        List<Gap> next = new ArrayList<>();
        for (Gap gap : gaps) {
            long end = Math.min(gap.to(), lookedUpTo);
            if (gap.from() > end) {
                next.add(gap);
                continue;
            }
            boolean writerEnded = gap.horizon() < oldestRunning;
            if (!writerEnded) {
                next.addAll(unseen(gap.from(), end, seen, gap.horizon()));
            }
            if (end < gap.to()) {
                next.add(new Gap(end + 1, gap.to(), gap.horizon()));
            }
        }
        long newest = seen.isEmpty() ? publishedThrough : Math.max(publishedThrough, seen.getLast());
        long tailEnd = Math.min(newest, lookedUpTo);
        if (tailEnd > publishedThrough) {
            List<Gap> newGaps = unseen(publishedThrough + 1, tailEnd, seen, 0);
            if (!newGaps.isEmpty()) {
                long writersOlderThan = horizon.getAsLong();
                newGaps.forEach(gap -> next.add(new Gap(gap.from(), gap.to(), writersOlderThan)));
            }
        }
        return new RelayCursor(Math.max(publishedThrough, tailEnd), next);
    }

    private static List<Gap> unseen(long from, long to, List<Long> seen, long horizon) {
        List<Gap> unseen = new ArrayList<>();
        long next = from;
        for (long position : seen) {
            if (position < from || position > to) {
                continue;
            }
            if (position > next) {
                unseen.add(new Gap(next, position - 1, horizon));
            }
            next = position + 1;
        }
        if (next <= to) {
            unseen.add(new Gap(next, to, horizon));
        }
        return unseen;
    }
}
