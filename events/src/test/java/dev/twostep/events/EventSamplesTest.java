package dev.twostep.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored samples are the contract: each must still decode, and encode back to the same JSON. */
class EventSamplesTest {

    @TestFactory
    Stream<DynamicTest> everyRegisteredTypeHasASampleThatRoundTrips() {
        return EventTypes.all().stream().map(type -> DynamicTest.dynamicTest(type, () -> {
            byte[] sample = sample(type);
            TwostepEvent event = EventJson.read(type, sample);

            assertThat(EventTypes.typeOf(event)).isEqualTo(type);
            JsonNode original = EventJson.mapper().readTree(sample);
            JsonNode reencoded = EventJson.mapper().readTree(EventJson.write(event));
            assertThat(reencoded).isEqualTo(original);
        }));
    }

    /**
     * Types whose fields grew keep their first sample above (written before the growth, it must still decode and
     * encode unchanged) and have a second one here in the grown shape.
     */
    @TestFactory
    Stream<DynamicTest> grownSamplesRoundTripWithTheirNewFields() {
        return Stream.of("dev.twostep.rollout.started.v1", "dev.twostep.rollout.rollbackdecided.v1",
                "dev.twostep.rollout.holddecided.v1", "dev.twostep.metric.samplerecorded.v1",
                "dev.twostep.feature.definitionset.v1").map(type ->
                DynamicTest.dynamicTest(type, () -> {
                    byte[] sample = resource("/samples/grown/" + type + ".json");
                    TwostepEvent event = EventJson.read(type, sample);

                    assertThat(EventJson.mapper().readTree(EventJson.write(event)))
                            .isEqualTo(EventJson.mapper().readTree(sample));
                }));
    }

    @Test
    void aGrownDecisionCarriesEveryGuardsEvidence() throws IOException {
        RolloutDecisionEvent decision = (RolloutDecisionEvent) EventJson.read("dev.twostep.rollout.rollbackdecided.v1",
                resource("/samples/grown/dev.twostep.rollout.rollbackdecided.v1.json"));

        assertThat(decision.evidence().decidedBy()).isEqualTo("slow-checkout");
        assertThat(decision.evidence().guards()).extracting(RolloutDecisionEvent.GuardEvidence::verdict)
                .containsExactly("keep-watching", "rollback", "keep-watching");
        assertThat(decision.evidence().guards().get(1).source().queries()).hasSize(2);
    }

    @Test
    void aDecisionFromBeforeGuardsHadNamesHasNoGuardList() throws IOException {
        RolloutDecisionEvent decision = (RolloutDecisionEvent) EventJson.read("dev.twostep.rollout.holddecided.v1",
                sample("dev.twostep.rollout.holddecided.v1"));

        assertThat(decision.evidence().guards()).isNull();
        assertThat(decision.evidence().decidedBy()).isNull();
    }

    @Test
    void typeStringsFollowTheNamingRule() {
        assertThat(EventTypes.all()).allMatch(type -> type.matches("dev\\.twostep\\.[a-z]+\\.[a-z]+\\.v[0-9]+"));
    }

    @Test
    void unknownFieldsAreIgnoredBecauseFieldsMayGrow() {
        byte[] grown = "{\"name\":\"a\",\"version\":\"1\",\"reason\":\"r\",\"addedLater\":42}".getBytes();
        assertThat(EventJson.read("dev.twostep.artefact.revoked.v1", grown))
                .isEqualTo(new ArtefactEvent.ArtefactRevoked("a", "1", "r"));
    }

    @Test
    void anEventThatBreaksItsInvariantsDoesNotDecode() {
        byte[] moreErrorsThanRequests = ("{\"sampleId\":\"s\",\"environment\":\"prod\",\"featureKey\":\"f\",\"variant\":\"on\","
                + "\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-01T00:00:10Z\",\"requests\":1,\"errors\":2}")
                .getBytes();
        assertThatThrownBy(() -> EventJson.read("dev.twostep.metric.samplerecorded.v1", moreErrorsThanRequests))
                .isInstanceOf(UndecodableEvent.class)
                .hasMessageContaining("errors must not exceed requests");
    }

    @Test
    void anUnknownTypeDoesNotDecode() {
        assertThatThrownBy(() -> EventJson.read("dev.twostep.build.completed.v9", "{}".getBytes()))
                .isInstanceOf(UndecodableEvent.class)
                .hasMessageContaining("unknown event type");
    }

    static byte[] sample(String type) throws IOException {
        return resource("/samples/" + type + ".json");
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = EventSamplesTest.class.getResourceAsStream(path)) {
            assertThat(in).as("sample " + path).isNotNull();
            return in.readAllBytes();
        }
    }
}
