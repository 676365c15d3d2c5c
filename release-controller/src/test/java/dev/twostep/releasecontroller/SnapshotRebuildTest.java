package dev.twostep.releasecontroller;

import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.service.ReleaseProjection;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class SnapshotRebuildTest {

    @Inject
    FlagSnapshot live;
    @Inject
    ReleaseProjection projection;

    @Test
    void aSnapshotRebuiltFromTheReadModelEqualsTheLiveOneAndTheReadModelRebuildsFromTheEventStore() {
        String feature = shopRunning("prod", "staging").feature();
        audience(feature, "prod", "{\"percentage\": 12.5, \"users\": [\"alice\"], \"reason\": \"some\"}");
        audience(feature, "staging", "{\"percentage\": 100, \"reason\": \"all\"}");

        FlagSnapshot rebuilt = new FlagSnapshot();
        assertThat(rebuilt.loaded()).isFalse();
        projection.fill(rebuilt);
        assertThat(rebuilt.flag(feature)).isPresent().isEqualTo(live.flag(feature));
        assertThat(rebuilt.flag(feature).orElseThrow().environments()).containsOnlyKeys("prod", "staging");

        String before = given().get("/features/{key}", feature).then().statusCode(200).extract().asString();
        given().post("/admin/read-model/rebuild").then().statusCode(200);
        assertThat(given().get("/features/{key}", feature).then().statusCode(200).extract().asString())
                .isEqualTo(before);

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("flag-snapshot"))
                .body("checks.find { it.name == 'flag-snapshot' }.status", equalTo("UP"));
    }
}
