package dev.twostep.outbox;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.TwostepEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a service changes its aggregates, after Occurrent's application service: load the aggregate's events,
 * fold them into its state, let the aggregate's pure decision say what happens (or refuse, by throwing), append the
 * new events after the version the decision saw, and project them into the read model, all in one transaction.
 * <p>
 * A writer that appended first turns the append into a {@link ConcurrencyConflict} and rolls everything back.
 * {@link #call} then decides again, in a new transaction, on the winner's events: a lost race costs a retry,
 * not an error, unless it is lost {@link #ATTEMPTS} times in a row; what survives is answered with 409 by
 * {@link ConcurrencyConflictMapper}. A refusal is the decision's to throw (the refusals module's {@code Refused},
 * which problem-details answers with the status of its kind); it rolls everything back and is never retried. The
 * decision and the projection are the service's; everything between is here, and its pure part ({@link #plan},
 * {@link #retried}) is tested without Quarkus.
 */
@ApplicationScoped
public class CommandPath {

    /** A lost race is decided again on the winner's events, at most this many times in all. */
    static final int ATTEMPTS = 3;

    private static final Logger LOG = Logger.getLogger(CommandPath.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(100);

    private final EventStore store;

    CommandPath(EventStore store) {
        this.store = store;
    }

    /**
     * Runs {@code command} (its reads, decisions and appends) in a transaction of its own, and again in a new one when
     * it lost a race, as the class comment says. Inside an active transaction (a consumer's effect runs in its
     * intake's) it runs once and a conflict propagates: the conflict has spoiled that transaction, and its owner
     * retries the whole of it (the intake retries the poll).
     */
    public <T> T call(Supplier<T> command) {
        if (QuarkusTransaction.isActive()) {
            return command.get();
        }
        return retried(ATTEMPTS, new Backoff(FIRST_PAUSE, LONGEST_PAUSE),
                () -> QuarkusTransaction.requiringNew().call(command::get));
    }

    /** {@link #call} for a command that answers nothing. */
    public void run(Runnable command) {
        call(() -> {
            command.run();
            return null;
        });
    }

    /**
     * One aggregate's command, from load to projection, in a transaction as {@link #call} runs it.
     *
     * @return the appended events (none when the decision found nothing to change)
     */
    public <S, E extends TwostepEvent> List<EventEnvelope> execute(
            String aggregateId, Function<List<E>, S> fold, Function<S, ? extends List<? extends E>> decision,
            EventMetadata metadata, Consumer<EventEnvelope> projection) {
        return call(() -> decide(aggregateId, fold, decision, metadata, projection));
    }

    /** Loads, folds, decides, appends and projects one aggregate in the caller's transaction, once. */
    @Transactional(Transactional.TxType.MANDATORY)
    public <S, E extends TwostepEvent> List<EventEnvelope> decide(
            String aggregateId, Function<List<E>, S> fold, Function<S, ? extends List<? extends E>> decision,
            EventMetadata metadata, Consumer<EventEnvelope> projection) {
        return decide(aggregateId, fold, decision, latest -> metadata, projection);
    }

    /**
     * {@link #decide(String, Function, Function, EventMetadata, Consumer) decide} for an aggregate whose events
     * continue its own story.
     *
     * @param story the appended events' story, given the aggregate's latest event (empty for a new aggregate):
     *              an aggregate that continues its own story names that event as the cause
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <S, E extends TwostepEvent> List<EventEnvelope> decide(
            String aggregateId, Function<List<E>, S> fold, Function<S, ? extends List<? extends E>> decision,
            Function<Optional<EventEnvelope>, EventMetadata> story, Consumer<EventEnvelope> projection) {
        List<EventEnvelope> history = store.load(aggregateId);
        Loaded<S> loaded = Loaded.of(aggregateId, history, fold);
        Optional<EventEnvelope> last = history.isEmpty() ? Optional.empty() : Optional.of(history.getLast());
        return decide(loaded, decision, story.apply(last), projection);
    }

    /**
     * One aggregate's state and version, for a decision whose answer is more than its events (then {@link #append}
     * what it decided).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <S, E extends TwostepEvent> Loaded<S> load(String aggregateId, Function<List<E>, S> fold) {
        return Loaded.of(aggregateId, store.load(aggregateId), fold);
    }

    /**
     * Decides on state the service loaded itself (from several streams, say) and appends and projects what was
     * decided, in the caller's transaction, once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <S> List<EventEnvelope> decide(Loaded<S> loaded,
                                          Function<S, ? extends List<? extends TwostepEvent>> decision,
                                          EventMetadata metadata, Consumer<EventEnvelope> projection) {
        return append(loaded.versions(), decision.apply(loaded.state()), metadata, projection);
    }

    /**
     * Appends what a decision already made, each stream after the version the decision saw of it ({@link #plan}), and
     * projects it, in the caller's transaction: for a state that is not folded from events, such as a locked row.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<EventEnvelope> append(Map<String, Long> versions, List<? extends TwostepEvent> decided,
                                      EventMetadata metadata, Consumer<EventEnvelope> projection) {
        List<EventEnvelope> appended = new ArrayList<>();
        for (Append append : plan(versions, decided)) {
            List<EventEnvelope> run = store.append(append.aggregateId(), append.expectedVersion(), append.events(),
                    metadata);
            run.forEach(projection);
            appended.addAll(run);
        }
        return appended;
    }

    /**
     * What a decision saw: the state, and the version of each stream the state was folded from, which an append to
     * that stream must still find.
     */
    public record Loaded<S>(S state, Map<String, Long> versions) {

        public Loaded {
            versions = Map.copyOf(versions);
        }

        /** One aggregate's state, folded from its whole history. */
        @SuppressWarnings("unchecked")
        public static <S, E extends TwostepEvent> Loaded<S> of(String aggregateId, List<EventEnvelope> history,
                                                               Function<List<E>, S> fold) {
            List<E> events = history.stream().map(envelope -> (E) envelope.data()).toList();
            long version = history.isEmpty() ? 0 : history.getLast().sequence();
            return new Loaded<>(fold.apply(events), Map.of(aggregateId, version));
        }
    }

    /** A run of consecutive decided events of one stream, to append after {@code expectedVersion}. */
    record Append(String aggregateId, long expectedVersion, List<TwostepEvent> events) {
    }

    /**
     * Cuts the decided events into runs of one stream each, in the order decided, each after the version the decision
     * saw of that stream. A stream the decision did not read is new to it (version 0): should it exist after all, the
     * append conflicts, so nothing is ever written past events the decision did not see.
     */
    static List<Append> plan(Map<String, Long> versions, List<? extends TwostepEvent> events) {
        Map<String, Long> next = new HashMap<>(versions);
        List<Append> appends = new ArrayList<>();
        int start = 0;
        while (start < events.size()) {
            String aggregateId = events.get(start).aggregateId();
            int end = start;
            while (end < events.size() && events.get(end).aggregateId().equals(aggregateId)) {
                end++;
            }
            long expected = next.getOrDefault(aggregateId, 0L);
            appends.add(new Append(aggregateId, expected, List.copyOf(events.subList(start, end))));
            next.put(aggregateId, expected + (end - start));
            start = end;
        }
        return appends;
    }

    /** Runs {@code attempt} until it does not lose a race, at most {@code attempts} times, pausing in between. */
    static <T> T retried(int attempts, Backoff pauses, Supplier<T> attempt) {
        for (int lost = 1; ; lost++) {
            try {
                return attempt.get();
            } catch (ConcurrencyConflict conflict) {
                if (lost >= attempts) {
                    throw conflict;
                }
                LOG.debugf("%s; deciding again (attempt %d of %d)", conflict.getMessage(), lost + 1, attempts);
                Backoff.sleep(pauses.next());
            }
        }
    }
}
