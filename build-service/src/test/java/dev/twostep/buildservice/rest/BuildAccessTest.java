package dev.twostep.buildservice.rest;

import dev.twostep.access.Roles;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.RelayDrain;
import dev.twostep.testing.TestTokens;
import dev.twostep.tokens.LocalIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.twostep.buildservice.rest.BuildResourceTest.DIGEST;
import static dev.twostep.buildservice.rest.BuildResourceTest.build;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Who may post builds: a CI token may, nobody else may, and the token's subject is the event's actor. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class BuildAccessTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCiTokenRecordsTheBuildAndItsSubjectIsTheActorOnTheEvent() {
        String buildId = "gh-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.of("github-actions-shop", Roles.CI)).contentType(ContentType.JSON)
                .body(build(buildId, "3f2a9c1d", DIGEST)).post("/builds").then().statusCode(201);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(KafkaProbe.readAll(Topics.BUILD_EVENTS)
                .stream().filter(r -> buildId.equals(r.key()))
                .map(r -> KafkaProbe.header(r, "ce_actor"))).containsExactly("github-actions-shop"));
    }

    @Test
    void aMissingTokenIs401AndWritesNothing() {
        refusedWithoutAWrite(given().auth().none(), 401, "bearer token");
    }

    @Test
    void aTokenFromAnotherIssuerIs401(@TempDir Path elsewhere) {
        String forged = LocalIssuer.in(elsewhere).token("mallory", Duration.ofMinutes(5), List.of(Roles.CI));
        refusedWithoutAWrite(given().auth().oauth2(forged), 401, "bearer token");
    }

    @Test
    void anExpiredTokenIs401() {
        String expired = LocalIssuer.in(Path.of("target", "test-issuer"))
                .token("github-actions", Duration.ofMinutes(-10), List.of(Roles.CI));
        refusedWithoutAWrite(given().auth().oauth2(expired), 401, "bearer token");
    }

    @Test
    void everyOtherRoleIs403AndNamesTheRoleNeeded() {
        for (String role : List.of(Roles.VIEWER, Roles.PUBLISHER, Roles.DEPLOYER, Roles.APPROVER,
                Roles.RELEASE_MANAGER, Roles.SRE, Roles.TELEMETRY)) {
            refusedWithoutAWrite(given().auth().oauth2(TestTokens.of("someone", role)), 403, "needs one of the roles [ci]");
        }
    }

    @Test
    void everyRoleMayReadButAForeignRoleMayNot() {
        given().auth().oauth2(TestTokens.of("dana", Roles.DEPLOYER)).queryParam("commit", "3f2a9c1d").get("/builds")
                .then().statusCode(200);
        given().auth().oauth2(TestTokens.of("stranger", "admin")).queryParam("commit", "3f2a9c1d").get("/builds")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().none().get("/builds/any").then().statusCode(401);
    }

    private void refusedWithoutAWrite(RequestSpecification request, int status, String detail) {
        String buildId = "gh-" + UUID.randomUUID();
        RelayDrain.awaitPublished(dataSource);
        long before = KafkaProbe.endOffsetSum(Topics.BUILD_EVENTS);
        request.contentType(ContentType.JSON).body(build(buildId, "3f2a9c1d", DIGEST)).post("/builds")
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", containsString(detail))
                .body("violations[0].field", equalTo("Authorization"));
        given().get("/builds/" + buildId).then().statusCode(404);
        // Only once the relay has published what is stored could an event the refusal appended show on the topic.
        RelayDrain.awaitPublished(dataSource);
        assertThat(KafkaProbe.endOffsetSum(Topics.BUILD_EVENTS)).isEqualTo(before);
    }
}
