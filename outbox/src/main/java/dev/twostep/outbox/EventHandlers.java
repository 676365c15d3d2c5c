package dev.twostep.outbox;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.TwostepEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Which events a consumer handles, and with which method: what {@link EventIntake} needs to know of a service, stated
 * in one place and in plain code, for example
 * <pre>{@code
 * EventHandlers.on(ArtefactPublished.class, this::artefactPublished)
 *         .and(DeploymentSucceeded.class, this::deploymentSucceeded)
 * }</pre>
 * A type may be one event record or a whole family (a sealed interface such as {@code RolloutDecisionEvent}). An
 * event goes to the one handler whose type it is; an event of a type no handler names is consumed and ignored. Two
 * types that overlap (a family and one of its records) are refused when they are declared, so no event ever has two
 * handlers and the order of the declarations never matters.
 *
 * <p>A handler is a plain method of a plain class: a unit test calls it, or {@link #dispatch(EventEnvelope)}, with an
 * event and its envelope, without Kafka or Quarkus.
 */
public final class EventHandlers {

    /** What a consumer does with one type of event; the envelope carries its id, time and story. */
    @FunctionalInterface
    public interface Handler<E> {
        void handle(E event, EventEnvelope envelope);
    }

    private final List<Registered<?>> handlers;

    private EventHandlers(List<Registered<?>> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    /** Handlers for events of {@code type} alone. */
    public static <E extends TwostepEvent> EventHandlers on(Class<E> type, Handler<? super E> handler) {
        return new EventHandlers(List.of()).and(type, handler);
    }

    /** These handlers and one more, for events of {@code type}; refused if another handler already takes them. */
    public <E extends TwostepEvent> EventHandlers and(Class<E> type, Handler<? super E> handler) {
        for (Registered<?> existing : handlers) {
            if (existing.type().isAssignableFrom(type) || type.isAssignableFrom(existing.type())) {
                throw new IllegalArgumentException(type.getSimpleName() + " overlaps "
                        + existing.type().getSimpleName() + ", which already has a handler");
            }
        }
        List<Registered<?>> more = new ArrayList<>(handlers);
        more.add(new Registered<>(type, handler));
        return new EventHandlers(more);
    }

    /** Hands the envelope's event to the handler of its type; does nothing if no handler takes it. */
    public void dispatch(EventEnvelope envelope) {
        for (Registered<?> registered : handlers) {
            if (registered.type().isInstance(envelope.data())) {
                registered.handle(envelope);
                return;
            }
        }
    }

    private record Registered<E extends TwostepEvent>(Class<E> type, Handler<? super E> handler) {
        void handle(EventEnvelope envelope) {
            handler.handle(type.cast(envelope.data()), envelope);
        }
    }
}
