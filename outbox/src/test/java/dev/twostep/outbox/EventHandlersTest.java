package dev.twostep.outbox;

import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.TwostepEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventHandlersTest {

    private final List<String> handled = new ArrayList<>();

    @Test
    void anEventGoesToTheHandlerOfItsTypeWithItsEnvelope() {
        EventEnvelope build = Builds.envelope("b-1");
        EventEnvelope revoked = envelope(new ArtefactRevoked("shop", "1.0.0", "CVE-1"));
        EventHandlers handlers = EventHandlers
                .on(BuildCompleted.class, (event, envelope) -> handled.add("build " + event.buildId() + " "
                        + envelope.id()))
                .and(ArtefactRevoked.class, (event, envelope) -> handled.add("revoked " + event.version()));

        handlers.dispatch(revoked);
        handlers.dispatch(build);

        assertThat(handled).containsExactly("revoked 1.0.0", "build b-1 " + build.id());
    }

    @Test
    void aFamilyTakesEveryEventOfIt() {
        EventHandlers handlers = EventHandlers.on(ArtefactEvent.class,
                (event, envelope) -> handled.add(event.aggregateId()));

        handlers.dispatch(envelope(new ArtefactRevoked("shop", "1.0.0", "CVE-1")));

        assertThat(handled).containsExactly(new ArtefactRevoked("shop", "1.0.0", "CVE-1").aggregateId());
    }

    @Test
    void anEventOfNoHandledTypeIsIgnored() {
        EventHandlers handlers = EventHandlers.on(BuildCompleted.class, (event, envelope) -> handled.add("build"));

        handlers.dispatch(envelope(new ArtefactRevoked("shop", "1.0.0", "CVE-1")));

        assertThat(handled).isEmpty();
    }

    @Test
    void overlappingTypesAreRefusedWhenDeclared() {
        EventHandlers artefacts = EventHandlers.on(ArtefactEvent.class, (event, envelope) -> handled.add("any"));

        assertThatThrownBy(() -> artefacts.and(ArtefactRevoked.class, (event, envelope) -> handled.add("revoked")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ArtefactRevoked overlaps ArtefactEvent");
        assertThatThrownBy(() -> artefacts.and(TwostepEvent.class, (event, envelope) -> handled.add("all")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TwostepEvent overlaps ArtefactEvent");
    }

    private static EventEnvelope envelope(ArtefactEvent event) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/test", event.aggregateId(), 1, Instant.now(), "corr",
                null, "test", null, event);
    }
}
