package dev.twostep.console.rest;

import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Flag definitions set by hand as release facts, over the real broker and database: the {@link DefinitionStory}
 * published topic by topic in the least helpful order, its hand-computed figures, and the same after a rebuild.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class HandSetDefinitionsTest {

    private static final DefinitionStory STORY = new DefinitionStory();

    @BeforeAll
    static void publishTheStory() {
        for (ProducerRecord<String, byte[]> record : STORY.recordsOutOfOrder()) {
            KafkaProbe.send(record);
        }
    }

    private static String delivery(String from, String to) {
        return given().queryParam("application", STORY.application).queryParam("environment", STORY.environment)
                .queryParam("from", from).queryParam("to", to).queryParam("expand", true)
                .get("/metrics/delivery").then().statusCode(200).extract().asString();
    }

    private static JsonPath window() {
        return new JsonPath(delivery("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z"));
    }

    private static void awaitTheWholeStory() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonPath report = window();
            assertThat(report.getInt("deploys.leadTime.count")).isEqualTo(1);
            assertThat(report.getInt("releases.frequency.count")).isEqualTo(3);
            assertThat(report.getInt("releases.changeFailureRate.failures")).isEqualTo(1);
            assertThat(report.getInt("releases.leadTimeToEveryone.count")).isEqualTo(1);
        });
    }

    @Test
    void definitionsThatCanServeAnotherVariantAreReleasesAndTheRestAreNot() {
        awaitTheWholeStory();
        JsonPath report = window();

        assertThat(report.getDouble("releases.frequency.perDay")).isEqualTo(36.0);
        assertThat(report.getMap("releases.frequency.byKind")).isEqualTo(Map.of("definition", 3));
        assertThat(report.getList("releases.frequency.items.events", List.class)).containsExactly(
                List.of(STORY.staffNeon.id().toString()), List.of(STORY.split.id().toString()),
                List.of(STORY.splitAgain.id().toString()));
        assertThat(report.getInt("releases.leadTimeToFirstExposure.count")).isEqualTo(1);
        assertThat(report.getDouble("releases.leadTimeToFirstExposure.medianSeconds")).isEqualTo(2700.0);
        assertThat(report.getList("releases.leadTimeToFirstExposure.items[0].events", String.class)).endsWith(
                STORY.event(DeploymentSucceeded.class, 0).id().toString(), STORY.staffNeon.id().toString());
        assertThat(report.getDouble("releases.leadTimeToEveryone.medianSeconds")).isEqualTo(4200.0);
        assertThat(report.getList("releases.leadTimeToEveryone.items[0].events", String.class))
                .endsWith(STORY.split.id().toString());
        assertThat(report.getInt("releases.changeFailureRate.changes")).isEqualTo(3);
        assertThat(report.getDouble("releases.changeFailureRate.rate")).isCloseTo(1.0 / 3, within(1e-6));
        assertThat(report.getList("releases.changeFailureRate.items[0].events", String.class))
                .containsExactly(STORY.rolledBack.id().toString());
        assertThat(report.getLong("releases.changeFailureRate.byCause.'rolled back by a person'")).isEqualTo(1);
        assertThat(report.getInt("releases.timeToRestore.count")).isZero();
        assertThat(report.getDouble("deploys.leadTime.medianSeconds")).isEqualTo(1200.0);
    }

    @Test
    void aLaterWindowSeesTheReleaseAgainButNoNewFirstExposure() {
        awaitTheWholeStory();
        JsonPath later = new JsonPath(delivery("2026-11-20T11:25:00Z", "2026-11-20T12:00:00Z"));

        assertThat(later.getList("releases.frequency.items.events", List.class))
                .containsExactly(List.of(STORY.splitAgain.id().toString()));
        assertThat(later.getInt("releases.leadTimeToFirstExposure.count")).isZero();
        assertThat(later.getInt("releases.leadTimeToEveryone.count")).isZero();
    }

    @Test
    void aRebuildFromTheBeginningGivesTheSameFigures() {
        awaitTheWholeStory();
        String before = delivery("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z");

        given().post("/read-model/rebuild").then().statusCode(200).body("events", org.hamcrest.Matchers.greaterThan(0));

        assertThat(delivery("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z")).isEqualTo(before);
    }
}
