package dev.twostep.releasecontroller.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.refusals.Refused;
import dev.twostep.releasecontroller.feature.FlagDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.twostep.releasecontroller.feature.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flag definitions under the release rules: given these events, when this command, then these events. */
class ReleaseDefinitionTest {

    private static final String KEY = "checkout-theme";
    private static final Map<String, JsonNode> SEGMENTS = Map.of("staff",
            json("{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}"));
    private static final JsonNode TARGETED = json("{\"state\": \"ENABLED\", \"defaultVariant\": \"classic\","
            + "\"variants\": {\"classic\": \"classic\", \"dark\": \"dark\"},"
            + "\"targeting\": {\"if\": [{\"$ref\": \"staff\"}, \"dark\"]}}");
    private static final JsonNode DEFAULT_ONLY = json("{\"state\": \"ENABLED\", \"defaultVariant\": \"classic\","
            + "\"variants\": {\"classic\": \"classic\", \"dark\": \"dark\"}}");

    private static final Plan PLAN = new Plan(List.of(5.0, 25.0, 100.0), 100, Duration.ofMinutes(5),
            Duration.ofHours(1), new Guard("errorRate", 1.0, 0.95));
    private static final Evidence EVIDENCE = new Evidence(null, new Counts(1000, 5), new Counts(100, 1),
            "two-proportion z-test", 0.4, 1.64, "off arm", "healthy");

    private final List<ReleaseEvent> history = new ArrayList<>(List.of(new FeatureDefined(KEY, "shop", null)));
    private final List<ReleaseEvent> rolloutStream = new ArrayList<>();
    private Bucketing installed = Bucketing.FLAGD_FRACTIONAL;

    private Release given(ReleaseEvent... events) {
        for (ReleaseEvent event : events) {
            (event.aggregateId().equals(KEY) ? history : rolloutStream).add(event);
        }
        return Release.fold(KEY, history, rolloutStream, installed);
    }

    private static FlagDefinition parsed(JsonNode definition) {
        return FlagDefinition.parse(definition, SEGMENTS);
    }

    private static FeatureDefinitionSet set(JsonNode definition, Map<String, JsonNode> segments) {
        return new FeatureDefinitionSet(KEY, "prod", definition, segments, "why", null,
                ReleaseEvent.FLAGD_FRACTIONAL_100K, null);
    }

    @Test
    void aDefinitionThatCanServeAnotherVariantNeedsTheCodeDeployed() {
        assertThatThrownBy(() -> given().setDefinition("prod", parsed(TARGETED), "dark for staff", false))
                .isInstanceOfSatisfying(Refused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(Refused.Kind.CONFLICT);
                    assertThat(refused.getMessage()).startsWith("release needs deploy");
                });
    }

    @Test
    void aDefinitionThatServesOnlyItsDefaultNeedsNoDeployedCode() {
        assertThat(given().setDefinition("prod", parsed(DEFAULT_ONLY), "why", false))
                .containsExactly(set(DEFAULT_ONLY, Map.of()));
    }

    @Test
    void theEventCarriesTheSegmentsItReferencesAsTheyStoodAndARepeatIsANoOp() {
        Release release = given();
        List<ReleaseEvent> events = release.setDefinition("prod", parsed(TARGETED), "why", true);

        assertThat(events).containsExactly(set(TARGETED, SEGMENTS));
        assertThat(given(events.toArray(ReleaseEvent[]::new)).setDefinition("prod", parsed(TARGETED), "again", true))
                .isEmpty();
    }

    @Test
    void rollingBackADefinitionFallsBackToItsDefaultByAnEventOfItsOwn() {
        Release release = given(set(TARGETED, SEGMENTS));

        List<ReleaseEvent> events = release.codeGone("prod");

        assertThat(events).containsExactly(
                new FeatureRolledBack(KEY, "prod", Release.CODE_GONE, null, Audience.NOBODY),
                new FeatureDefinitionSet(KEY, "prod", parsed(TARGETED).withoutTargeting(), Map.of(),
                        Release.CODE_GONE, null, ReleaseEvent.FLAGD_FRACTIONAL_100K, null));
        assertThat(given(events.toArray(ReleaseEvent[]::new)).codeGone("prod")).isEmpty();
    }

    @Test
    void anAudienceReplacesADefinitionEvenAnAudienceOfNobody() {
        Release release = given(set(DEFAULT_ONLY, Map.of()));

        assertThat(release.setAudience("prod", Audience.NOBODY, "back to a switch", false)).singleElement()
                .isInstanceOf(FeatureReleased.class);
    }

    @Test
    void aRolloutMovesItsTreatmentsShareWhereTheTargetingFallsThroughAndWidensItStepByStep() {
        Release release = given(set(TARGETED, SEGMENTS));

        List<ReleaseEvent> started = release.startRollout("ro-1", "prod", PLAN, "dark", true);

        assertThat(started.getFirst()).isEqualTo(new RolloutStarted("ro-1", KEY, "prod", PLAN, "dark", "classic"));
        FeatureDefinitionSet first = (FeatureDefinitionSet) started.get(1);
        assertThat(first.rolloutId()).isEqualTo("ro-1");
        assertThat(first.definition().at("/targeting/if/2")).isEqualTo(json(
                "{\"fractional\": [[\"dark\", 5000], [\"classic\", 95000]]}"));
        assertThat(first.definition().at("/targeting/if/0")).isEqualTo(json("{\"$ref\": \"staff\"}"));

        Release atStep1 = given(started.toArray(ReleaseEvent[]::new));
        List<ReleaseEvent> advanced = atStep1.decide(new RolloutAdvanceDecided("d-1", "ro-1", KEY, "prod", 1, 0, 0, 1,
                EVIDENCE));
        FeatureDefinitionSet second = (FeatureDefinitionSet) advanced.getFirst();
        assertThat(second.definition().at("/targeting/if")).hasSize(3);
        assertThat(second.definition().at("/targeting/if/2")).isEqualTo(json(
                "{\"fractional\": [[\"dark\", 25000], [\"classic\", 75000]]}"));
        assertThat(FlagDefinition.parse(second.definition(), second.segments()).targeting().outcomes())
                .containsExactlyInAnyOrder("dark", "classic");
        assertThat(List.of(first.stepPercentage(), second.stepPercentage())).containsExactly(5.0, 25.0);
    }

    @Test
    void aRolloutTakesTheInstallationsBucketingAndKeepsItAfterASwitchWhileItSplits() {
        installed = Bucketing.FLAGD_FRACTIONAL_LEGACY;
        List<ReleaseEvent> started = given(set(TARGETED, SEGMENTS)).startRollout("ro-1", "prod", PLAN, "dark", true);
        assertThat(((FeatureDefinitionSet) started.get(1)).bucketing()).as("no split stood before")
                .isEqualTo(ReleaseEvent.FLAGD_FRACTIONAL_LEGACY);
        given(started.toArray(ReleaseEvent[]::new));

        installed = Bucketing.FLAGD_FRACTIONAL;
        Release switched = given();
        List<ReleaseEvent> writes = new ArrayList<>();
        writes.addAll(switched.decide(new RolloutAdvanceDecided("d-1", "ro-1", KEY, "prod", 1, 0, 0, 1, EVIDENCE)));
        writes.addAll(switched.segmentChanged("prod", "staff", json("{\"var\": \"staff\"}")));
        writes.addAll(switched.setDefinition("prod", parsed(DEFAULT_ONLY), "by hand", true));
        assertThat(writes).filteredOn(FeatureDefinitionSet.class::isInstance).hasSize(3)
                .allSatisfy(write -> assertThat(((FeatureDefinitionSet) write).bucketing())
                        .isEqualTo(ReleaseEvent.FLAGD_FRACTIONAL_LEGACY));
    }

    @Test
    void aSegmentChangedWithinAStepRewritesTheDefinitionWithoutBeginningAnotherStep() {
        Release release = given(set(TARGETED, SEGMENTS));
        List<ReleaseEvent> started = release.startRollout("ro-1", "prod", PLAN, "dark", true);
        Release atStep1 = given(started.toArray(ReleaseEvent[]::new));

        List<ReleaseEvent> rewritten = atStep1.segmentChanged("prod", "staff",
                json("{\"ends_with\": [{\"var\": \"email\"}, \"example.com\"]}"));

        assertThat(((FeatureDefinitionSet) rewritten.getFirst()).stepPercentage()).isNull();
        Release stillAtStep1 = given(rewritten.toArray(ReleaseEvent[]::new));
        assertThat(stillAtStep1.state().rollout("ro-1").orElseThrow().step()).isEqualTo(1);
        FeatureDefinitionSet next = (FeatureDefinitionSet) stillAtStep1.decide(new RolloutAdvanceDecided("d-1", "ro-1",
                KEY, "prod", 1, 0, 0, 1, EVIDENCE)).getFirst();
        assertThat(next.stepPercentage()).isEqualTo(25.0);
    }

    @Test
    void aRolloutOfADefinitionNamesAVariantOtherThanTheDefaultAndNeedsAFallThrough() {
        Release release = given(set(TARGETED, SEGMENTS));
        assertThatThrownBy(() -> release.startRollout("ro-1", "prod", PLAN, "classic", true))
                .hasMessageContaining("names its treatment");
        assertThatThrownBy(() -> release.startRollout("ro-1", "prod", PLAN, null, true))
                .hasMessageContaining("names its treatment");
        assertThatThrownBy(() -> release.startRollout("ro-1", "prod", PLAN, "purple", true))
                .hasMessageContaining("names its treatment");

        JsonNode decidesForAll = json("{\"state\": \"ENABLED\", \"defaultVariant\": \"classic\","
                + "\"variants\": {\"classic\": \"classic\", \"dark\": \"dark\"},"
                + "\"targeting\": {\"if\": [{\"var\": \"beta\"}, \"dark\", \"classic\"]}}");
        assertThatThrownBy(() -> given(set(decidesForAll, Map.of())).startRollout("ro-1", "prod", PLAN, "dark", true))
                .hasMessageContaining("falls through to the default");
        assertThatThrownBy(() -> new ReleaseDefinitionTest().given().startRollout("ro-1", "prod", PLAN, "dark", true))
                .hasMessageContaining("has no flag definition");
    }

    @Test
    void aChangedSegmentRewritesTheDefinitionsThatReferenceIt() {
        JsonNode wider = json("{\"ends_with\": [{\"var\": \"email\"}, \"example.com\"]}");
        Release release = given(set(TARGETED, SEGMENTS));

        assertThat(release.segmentChanged("prod", "staff", wider)).containsExactly(new FeatureDefinitionSet(KEY,
                "prod", TARGETED, Map.of("staff", wider), "segment staff changed", null,
                ReleaseEvent.FLAGD_FRACTIONAL_100K, null));
        assertThat(release.segmentChanged("prod", "other", wider)).isEmpty();
        assertThat(release.segmentChanged("staging", "staff", wider)).isEmpty();
    }
}
