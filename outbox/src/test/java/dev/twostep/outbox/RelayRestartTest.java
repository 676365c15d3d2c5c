package dev.twostep.outbox;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.twostep.outbox.Builds.build;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service "stops" between commit and publish: its relay thread never runs. A relay that comes
 * up later (here, the same bean driven by hand) publishes every committed event exactly once.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@TestProfile(RelayRestartTest.RelayStopped.class)
class RelayRestartTest {

    public static class RelayStopped implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("twostep.outbox.relay.enabled", "false");
        }
    }

    @Inject
    EventStore store;

    @Inject
    OutboxRelay relay;

    @Test
    void committedButUnpublishedEventsArePublishedAfterRestartExactlyOnce() {
        String aggregate = "restart-" + UUID.randomUUID();
        List<EventEnvelope> appended = QuarkusTransaction.requiringNew().call(() -> store.append(aggregate, 0,
                List.of(build(aggregate), build(aggregate), build(aggregate)), EventMetadata.startedBy("test")));
        assertThat(idsOnKafka(aggregate)).as("nothing is published while the relay is down").isEmpty();

        int published = 0;
        for (int pass = 0; pass < 100 && published < 3; pass++) {
            published += relay.publishPending();
        }
        relay.publishPending();

        assertThat(idsOnKafka(aggregate))
                .containsExactlyElementsOf(appended.stream().map(e -> e.id().toString()).toList());
    }

    private static List<String> idsOnKafka(String aggregate) {
        return KafkaProbe.readAll(Topics.BUILD_EVENTS).stream()
                .filter(r -> aggregate.equals(r.key()))
                .map(r -> KafkaProbe.header(r, "ce_id"))
                .toList();
    }
}
