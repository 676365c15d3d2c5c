package dev.twostep.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.Target;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.SegmentDefined;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A feature released by flag definitions set by hand (issue 22: a hand-set definition is a release fact when it can
 * serve a variant other than its default and does not serve as the one before it did). The answers for the window
 * 10:00-12:00, by hand:
 * <pre>
 * 10:00 build 2.0 (feature theme)
 * 10:10 d1 2.0 requested, 10:20 succeeds             deploy lead 1,200 s
 * 10:30 theme: classic for everyone, no targeting    not a release (serves only the default)
 * 10:40 segment staff defined                        (the console ignores segments)
 * 10:45 theme: staff get neon, others classic        release 1 (some); first exposure 10:00 -> 10:45 = 2,700 s
 * 10:50 segment staff changed: theme written again   not a release (the definition as written is the same)
 * 11:00 theme: the same with metadata team=web       not a release (metadata serves nobody anything)
 * 11:10 theme: half dark, half neon                  release 2 (everyone); everyone 10:00 -> 11:10 = 4,200 s
 * 11:20 rolled back by a person, and fallen back     release CFR: 1 by a person; the fallback (no targeting) serves
 *       to its default (same time)                   only the default: not a release
 * 11:30 theme: half dark, half neon again            release 3 (what stood before it was the fallback)
 * 11:40 theme: the same, DISABLED                    not a release (it only switches off)
 * </pre>
 * Releases: 3 (36 a day), all of kind {@code definition}; change failure rate 1 of 3; no restore (no decision).
 */
final class DefinitionStory extends ScriptedHistory {

    final String feature = "theme-" + UUID.randomUUID().toString().substring(0, 8);
    final EventEnvelope staffNeon;
    final EventEnvelope split;
    final EventEnvelope splitAgain;
    final EventEnvelope rolledBack;

    DefinitionStory() {
        emit("08:00", "deploy-orchestrator", "environment:" + environment, new EnvironmentDefined(environment, null,
                false, true, new Target("external", null, null, null)));
        build("10:00", "2.0", List.of(feature));
        deploy("10:10", "10:20", "d1-" + application, "2.0", null);
        String variants = "\"variants\": {\"classic\": \"classic\", \"dark\": \"dark\", \"neon\": \"neon\"}";
        String staffRule = "{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}";
        String widerRule = "{\"or\": [" + staffRule + ", {\"ends_with\": [{\"var\": \"email\"}, \"@partner.io\"]}]}";
        String staffGetNeon = "{\"state\": \"ENABLED\", \"defaultVariant\": \"classic\", " + variants
                + ", \"targeting\": {\"if\": [{\"$ref\": \"staff\"}, \"neon\", null]}";
        String halfDarkHalfNeon = "{\"state\": \"%s\", \"defaultVariant\": \"classic\", " + variants
                + ", \"targeting\": {\"fractional\": [[\"dark\", 50000], [\"neon\", 50000]]}}";

        definition("10:30", "{\"state\": \"ENABLED\", \"defaultVariant\": \"classic\", " + variants + "}", Map.of(),
                "classic for everyone");
        emit("10:40", "release-controller", SegmentDefined.aggregateIdOf(environment, "staff"),
                new SegmentDefined(environment, "staff", json(staffRule), "staff"));
        staffNeon = definition("10:45", staffGetNeon + "}", Map.of("staff", json(staffRule)), "neon for staff");
        emit("10:50", "release-controller", SegmentDefined.aggregateIdOf(environment, "staff"),
                new SegmentDefined(environment, "staff", json(widerRule), "partners too"));
        definition("10:50", staffGetNeon + "}", Map.of("staff", json(widerRule)), "segment staff changed");
        definition("11:00", staffGetNeon + ", \"metadata\": {\"team\": \"web\"}}", Map.of("staff", json(widerRule)),
                "owned by web");
        split = definition("11:10", halfDarkHalfNeon.formatted("ENABLED"), Map.of(), "dark and neon for all");
        rolledBack = emit("11:20", "release-controller", feature, new FeatureRolledBack(feature, environment,
                "rolled back: support tickets", null, Audience.NOBODY));
        definition("11:20", "{\"state\": \"ENABLED\", \"defaultVariant\": \"classic\", " + variants + "}", Map.of(),
                "rolled back: support tickets");
        splitAgain = definition("11:30", halfDarkHalfNeon.formatted("ENABLED"), Map.of(), "fixed, again");
        definition("11:40", halfDarkHalfNeon.formatted("DISABLED"), Map.of(), "off for the night");
    }

    private EventEnvelope definition(String time, String definition, Map<String, JsonNode> segments, String reason) {
        return emit(time, "release-controller", feature, new FeatureDefinitionSet(feature, environment,
                json(definition), segments, reason, null, ReleaseEvent.FLAGD_FRACTIONAL_100K, null));
    }

    private static JsonNode json(String text) {
        try {
            return EventJson.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
