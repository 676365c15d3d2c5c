package dev.twostep.console.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.EventEnvelope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void cloudEventsAreStructuredModeWithTheDataInline() throws Exception {
        EventEnvelope event = NoticesTest.failed("prod");

        Payload payload = Payload.of(Notices.of(event, List.of()).getFirst(), Format.CLOUDEVENTS, "http://console");

        assertThat(payload.contentType()).isEqualTo("application/cloudevents+json");
        JsonNode body = JSON.readTree(payload.body());
        assertThat(body.get("specversion").asText()).isEqualTo("1.0");
        assertThat(body.get("id").asText()).isEqualTo(event.id().toString());
        assertThat(body.get("type").asText()).isEqualTo("dev.twostep.deployment.failed.v1");
        assertThat(body.get("subject").asText()).isEqualTo("d-1");
        assertThat(body.get("correlationid").asText()).isEqualTo("corr-1");
        assertThat(body.get("data").get("reason").asText()).isEqualTo("image pull back-off");
    }

    @Test
    void aSlackMessageIsOneLineWithALinkToTheStory() throws Exception {
        Notice notice = Notices.of(NoticesTest.held(), List.of()).getFirst();

        Payload payload = Payload.of(notice, Format.SLACK, "https://console.example.com/");

        assertThat(payload.contentType()).isEqualTo("application/json");
        String text = JSON.readTree(payload.body()).get("text").asText();
        assertThat(text).doesNotContain("\n").startsWith("hold new-payment-form@prod step 2 (10%)")
                .endsWith(" <https://console.example.com/story.html?id=corr-1|open the story in the console>");
        assertThat(text).contains("upper bound +0.90pp &gt; 0.5pp");
    }

    @Test
    void markupInAReasonCannotForgeASlackLink() {
        EventEnvelope event = NoticesTest.envelope(new DeploymentFailed("d-1", "checkout", "1.4.0", "prod", null, null,
                "see <https://evil.example.com|the fix> & retry"));

        String text = Payload.slackText(Notices.of(event, List.of()).getFirst(), "http://console");

        assertThat(text).contains("see &lt;https://evil.example.com|the fix&gt; &amp; retry")
                .endsWith("<http://console/story.html?id=corr-1|open the story in the console>");
    }

    @Test
    void aStoryWithoutCorrelationLinksToTheConsole() {
        EventEnvelope event = new EventEnvelope(java.util.UUID.randomUUID(), "/twostep/test", "d-1", 1,
                NoticesTest.AT, null, null, null, null, new DeploymentFailed("d-1", "checkout", "1.4.0", "prod", null,
                null, "boom"));

        assertThat(Payload.storyLink(Notices.of(event, List.of()).getFirst(), "http://console")).isEqualTo("http://console/");
    }
}
