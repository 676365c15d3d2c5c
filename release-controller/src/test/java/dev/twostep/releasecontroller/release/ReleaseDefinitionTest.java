package dev.twostep.releasecontroller.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.releasecontroller.feature.FlagDefinition;
import org.junit.jupiter.api.Test;

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

    private final List<ReleaseEvent> history = new ArrayList<>(List.of(new FeatureDefined(KEY, "shop", null)));

    private Release given(ReleaseEvent... events) {
        history.addAll(List.of(events));
        return Release.fold(KEY, history, List.of());
    }

    private static FlagDefinition parsed(JsonNode definition) {
        return FlagDefinition.parse(definition, SEGMENTS);
    }

    private static FeatureDefinitionSet set(JsonNode definition, Map<String, JsonNode> segments) {
        return new FeatureDefinitionSet(KEY, "prod", definition, segments, "why", null,
                ReleaseEvent.FLAGD_FRACTIONAL_100K);
    }

    @Test
    void aDefinitionThatCanServeAnotherVariantNeedsTheCodeDeployed() {
        assertThatThrownBy(() -> given().setDefinition("prod", parsed(TARGETED), "dark for staff", false))
                .isInstanceOfSatisfying(Release.Refused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(Release.Refused.Kind.CONFLICT);
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
                        Release.CODE_GONE, null, ReleaseEvent.FLAGD_FRACTIONAL_100K));
        assertThat(given(events.toArray(ReleaseEvent[]::new)).codeGone("prod")).isEmpty();
    }

    @Test
    void anAudienceReplacesADefinitionEvenAnAudienceOfNobody() {
        Release release = given(set(DEFAULT_ONLY, Map.of()));

        assertThat(release.setAudience("prod", Audience.NOBODY, "back to a switch", false)).singleElement()
                .isInstanceOf(FeatureReleased.class);
    }

    @Test
    void aChangedSegmentRewritesTheDefinitionsThatReferenceIt() {
        JsonNode wider = json("{\"ends_with\": [{\"var\": \"email\"}, \"example.com\"]}");
        Release release = given(set(TARGETED, SEGMENTS));

        assertThat(release.segmentChanged("prod", "staff", wider)).containsExactly(new FeatureDefinitionSet(KEY,
                "prod", TARGETED, Map.of("staff", wider), "segment staff changed", null,
                ReleaseEvent.FLAGD_FRACTIONAL_100K));
        assertThat(release.segmentChanged("prod", "other", wider)).isEmpty();
        assertThat(release.segmentChanged("staging", "staff", wider)).isEmpty();
    }
}
