package dev.twostep.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.Service;

import java.util.HashSet;
import java.util.Set;

/** Prints each rollout decision once, with the one-line evidence the analyzer wrote for people. */
final class DecisionWatch {

    private final PlatformClient api;
    private final Timeline timeline;
    private final Set<String> printed = new HashSet<>();

    DecisionWatch(PlatformClient api, Timeline timeline) {
        this.api = api;
        this.timeline = timeline;
    }

    void printNew(String rolloutId) {
        PlatformClient.Reply reply = api.get(Service.ROLLOUT, "/rollouts/" + rolloutId + "/decisions");
        if (!reply.isSuccess()) {
            return;
        }
        for (JsonNode decision : reply.body()) {
            JsonNode event = decision.path("decision");
            if (printed.add(event.path("decisionId").asText())) {
                String verb = decision.path("type").asText().replaceAll("dev\\.twostep\\.rollout\\.(\\w+)decided\\.v\\d+", "$1");
                timeline.say("decision", verb + " " + event.path("featureKey").asText() + "@"
                        + event.path("environment").asText() + " step " + event.path("step").asInt() + " ("
                        + event.path("fromPercent").asText() + "%): " + event.path("evidence").path("summary").asText());
            }
        }
    }
}
