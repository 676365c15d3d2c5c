package dev.twostep.deployorchestrator;

import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class EnvironmentResourceTest {

    @Test
    void definingAnEnvironmentIsAnEventAndRedefiningItUnchangedIsNot() {
        String staging = "{\"requiresApproval\":false,\"autoRollbackOnFailure\":true,\"target\":{\"kind\":\"external\"}}";
        String prod = """
                {"promotesFrom":"staging","requiresApproval":true,"autoRollbackOnFailure":true,
                 "target":{"kind":"kubernetes","namespace":"shop","deploymentNameTemplate":"{application}","container":"app"}}""";
        given().contentType(ContentType.JSON).body(staging).put("/environments/staging").then().statusCode(200);
        given().contentType(ContentType.JSON).body(prod).put("/environments/prod").then().statusCode(200)
                .body("promotesFrom", equalTo("staging")).body("target.namespace", equalTo("shop"));
        given().contentType(ContentType.JSON).body(prod).put("/environments/prod").then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(KafkaProbe.readAll(Topics.DEPLOYMENT_EVENTS))
                .filteredOn(r -> "environment:prod".equals(r.key())).hasSize(1));
        given().when().get("/environments").then().body("name", hasItem("prod"));
    }

    private static final String FLAGS = "{\"requiresApproval\":false,\"autoRollbackOnFailure\":false,";

    @Test
    void badDefinitionsAre400sThatNameTheField() {
        given().contentType(ContentType.JSON).body("{\"target\":{\"kind\":\"external\"}}")
                .put("/environments/qa").then().statusCode(400).body("violations.field", hasItem("requiresApproval"));
        given().contentType(ContentType.JSON).body("{\"promotesFrom\":\"nowhere\",\"requiresApproval\":false,\"autoRollbackOnFailure\":false,\"target\":{\"kind\":\"external\"}}")
                .put("/environments/qa").then().statusCode(400).body("violations.field", hasItem("promotesFrom"));
        given().contentType(ContentType.JSON).body(FLAGS + "\"target\":{\"kind\":\"ftp\"}}")
                .put("/environments/qa").then().statusCode(400).body("violations.field", hasItem("target.kind"));
        given().contentType(ContentType.JSON).body(FLAGS + "\"target\":{\"kind\":\"kubernetes\"}}")
                .put("/environments/qa").then().statusCode(400).body("violations.field", hasItem("target"));
        given().contentType(ContentType.JSON).body(FLAGS + "\"target\":{\"kind\":\"external\"}}")
                .put("/environments/Bad_Name").then().statusCode(400).body("violations.field", hasItem("name"));
        given().when().get("/environments/qa").then().statusCode(404);
    }
}
