package dev.twostep.outbox;

import dev.twostep.events.DeploymentEvent;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.EventEnvelope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure part of the command path: what is appended where, and how often a lost race is decided again. */
class CommandPathTest {

    private static final Backoff NO_PAUSE = new Backoff(Duration.ZERO, Duration.ZERO);

    private static DeploymentEvent started(String deployment) {
        return new DeploymentStarted(deployment, "shop", "1.0.0", "prod", null, null, "external");
    }

    private static DeploymentEvent succeeded(String deployment) {
        return new DeploymentSucceeded(deployment, "shop", "1.0.0", "prod", null, null, null);
    }

    private static DeploymentEvent approved(String approver) {
        return new PromotionApproved("shop", "1.0.0", "prod", approver);
    }

    @Test
    void eventsOfOneStreamAreAppendedAfterTheVersionTheDecisionSaw() {
        List<CommandPath.Append> plan = CommandPath.plan(Map.of("d-1", 2L), List.of(started("d-1"), succeeded("d-1")));

        assertThat(plan).containsExactly(new CommandPath.Append("d-1", 2, List.of(started("d-1"), succeeded("d-1"))));
    }

    @Test
    void eventsOfTwoStreamsAreAppendedRunByRunInTheOrderDecidedEachAfterItsOwnVersion() {
        String approval = approved("ann").aggregateId();
        List<CommandPath.Append> plan = CommandPath.plan(Map.of("d-1", 2L, approval, 5L),
                List.of(started("d-1"), approved("ann"), approved("bob"), succeeded("d-1")));

        assertThat(plan).containsExactly(
                new CommandPath.Append("d-1", 2, List.of(started("d-1"))),
                new CommandPath.Append(approval, 5, List.of(approved("ann"), approved("bob"))),
                new CommandPath.Append("d-1", 3, List.of(succeeded("d-1"))));
    }

    @Test
    void aStreamTheDecisionDidNotReadStartsAtVersionZero() {
        assertThat(CommandPath.plan(Map.of("d-1", 4L), List.of(started("d-2"))))
                .containsExactly(new CommandPath.Append("d-2", 0, List.of(started("d-2"))));
    }

    @Test
    void aDecisionOfNothingAppendsNothing() {
        assertThat(CommandPath.plan(Map.of("d-1", 4L), List.of())).isEmpty();
    }

    @Test
    void theVersionOfALoadedAggregateIsTheSequenceOfItsLatestEvent() {
        List<EventEnvelope> history = List.of(envelope("d-1", 1, started("d-1")), envelope("d-1", 2, succeeded("d-1")));

        CommandPath.Loaded<Integer> loaded = CommandPath.Loaded.of("d-1", history, List::size);

        assertThat(loaded.state()).isEqualTo(2);
        assertThat(loaded.versions()).isEqualTo(Map.of("d-1", 2L));
        assertThat(CommandPath.Loaded.of("d-9", List.of(), List::size).versions()).isEqualTo(Map.of("d-9", 0L));
    }

    @Test
    void aLostRaceIsDecidedAgainUntilItIsWon() {
        AtomicInteger attempts = new AtomicInteger();

        String answer = CommandPath.retried(3, NO_PAUSE, () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new ConcurrencyConflict("d-1", attempts.get());
            }
            return "decided on attempt " + attempts.get();
        });

        assertThat(answer).isEqualTo("decided on attempt 3");
    }

    @Test
    void aRaceLostOnEveryAttemptPropagatesTheLastConflict() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> CommandPath.retried(3, NO_PAUSE, () -> {
            throw new ConcurrencyConflict("d-1", attempts.incrementAndGet());
        })).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("version 3");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aRefusalIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> CommandPath.retried(3, NO_PAUSE, () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(attempts).hasValue(1);
    }

    private static EventEnvelope envelope(String aggregateId, long sequence, DeploymentEvent event) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/test", aggregateId, sequence, Instant.EPOCH, null, null,
                "tester", null, event);
    }
}
