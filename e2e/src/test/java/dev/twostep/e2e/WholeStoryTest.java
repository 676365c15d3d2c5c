package dev.twostep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.Service;
import dev.twostep.cli.demo.Story;
import dev.twostep.cli.demo.Timeline;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The story from a CI build to users, over the five packaged services as processes: the same story that
 * {@code ./twostep demo} tells, checked afterwards through the read APIs and on the topics.
 */
@ExtendWith(SharedPlatform.class)
class WholeStoryTest {

    private static PlatformClient api;

    @BeforeAll
    static void connect(Platform platform) {
        api = new PlatformClient(platform.environment());
    }

    @Test
    void fromCommitToUsersAndBackAgain() {
        Story.Result story = new Story(api, new Timeline(System.out, Clock.systemUTC()), Story.Pace.demo(),
                Clock.systemUTC()).play();

        // prod runs the previous version again, with its provenance
        JsonNode inventory = api.get(Service.DEPLOY, "/environments/prod/inventory").body();
        assertThat(inventory.toString()).contains(story.previousVersion()).doesNotContain(story.newVersion());

        // what is live: staging still runs the new version and its features, prod the previous one
        JsonNode staging = api.get(Service.RELEASE, "/environments/staging/live?user=alice").body();
        assertThat(staging.at("/applications/0/version").asText()).isEqualTo(story.newVersion());
        assertThat(staging.at("/applications/0/digest").asText()).startsWith("sha256:");
        assertThat(staging.path("features")).extracting(f -> f.path("featureKey").asText())
                .containsExactly(Story.HEALTHY_FEATURE, Story.FAILING_FEATURE);
        JsonNode prodLive = api.get(Service.RELEASE, "/environments/prod/live").body();
        assertThat(prodLive.at("/applications/0/version").asText()).isEqualTo(story.previousVersion());
        assertThat(prodLive.path("features")).isEmpty();

        // both features are off in prod: one rolled back by its rollout, the other because its code went away
        for (String feature : List.of(Story.HEALTHY_FEATURE, Story.FAILING_FEATURE)) {
            JsonNode prod = environment(api.get(Service.RELEASE, "/features/" + feature).body(), "prod");
            assertThat(prod.path("audience").path("percentage").asDouble()).as(feature).isZero();
            assertThat(prod.path("audience").path("users")).as(feature).isEmpty();
        }
        JsonNode history = api.get(Service.RELEASE, "/features/" + Story.HEALTHY_FEATURE + "/history").body();
        assertThat(history.toString()).contains("code no longer deployed");

        // the analyzer's decisions: three advances for the healthy rollout, a rollback for the failing one
        assertThat(types(api.get(Service.ROLLOUT, "/rollouts/" + story.healthyRolloutId() + "/decisions").body()))
                .containsExactly("advancedecided", "advancedecided", "advancedecided");
        assertThat(types(api.get(Service.ROLLOUT, "/rollouts/" + story.failingRolloutId() + "/decisions").body()))
                .last().isEqualTo("rollbackdecided");
        assertThat(api.get(Service.ROLLOUT, "/rollouts/" + story.healthyRolloutId()).body().path("status").asText())
                .isEqualTo("COMPLETED");

        assertTheEventChain(story);
    }

    /**
     * On the topics: one story from the build to the last decision, and every aggregate the services published in
     * sequence order. Other tests put garbage and duplicates on the same topics on purpose; those are left out.
     */
    private static void assertTheEventChain(Story.Result story) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Topics.ALL.stream().filter(topic -> topic.endsWith(".events"))
                .forEach(topic -> records.addAll(KafkaProbe.readAll(topic)));

        Map<String, Long> lastSequence = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String source = KafkaProbe.header(record, "ce_source");
            if (source == null || !source.startsWith("/twostep/") || !seen.add(KafkaProbe.header(record, "ce_id"))) {
                continue;
            }
            long sequence = Long.parseLong(KafkaProbe.header(record, "ce_sequence"));
            Long previous = lastSequence.put(record.topic() + "/" + record.key(), sequence);
            assertThat(previous == null || sequence > previous)
                    .as("%s of %s follows %s", sequence, record.key(), previous).isTrue();
        }

        String correlation = records.stream().filter(r -> story.buildId().equals(r.key())).findFirst()
                .map(r -> KafkaProbe.header(r, "ce_correlationid")).orElseThrow();
        List<EventEnvelope> chain = records.stream()
                .filter(r -> correlation.equals(KafkaProbe.header(r, "ce_correlationid")))
                .map(CloudEventCodec::fromRecord).toList();
        List<String> types = chain.stream().map(e -> e.type().replaceAll("^dev\\.twostep\\.|\\.v\\d+$", "")).toList();
        assertThat(types).contains("build.completed", "artefact.published", "deployment.requested",
                "deployment.started", "deployment.succeeded", "feature.released", "rollout.started",
                "rollout.advancedecided", "rollout.rollbackdecided", "rollout.completed", "feature.rolledback");
        assertThat(chain.stream().filter(e -> e.type().contains("deployment.succeeded")).count())
                .as("the new version succeeded in dev, staging and prod").isGreaterThanOrEqualTo(3);
        assertThat(chain.getFirst().type()).isEqualTo("dev.twostep.build.completed.v1");
    }

    private static JsonNode environment(JsonNode feature, String environment) {
        for (JsonNode candidate : feature.path("environments")) {
            if (candidate.path("environment").asText().equals(environment)) {
                return candidate;
            }
        }
        throw new AssertionError(feature.path("featureKey").asText() + " has no " + environment);
    }

    private static List<String> types(JsonNode decisions) {
        List<String> types = new ArrayList<>();
        decisions.forEach(d -> types.add(d.path("type").asText().replaceAll("^dev\\.twostep\\.rollout\\.|\\.v\\d+$", "")));
        return types;
    }
}
