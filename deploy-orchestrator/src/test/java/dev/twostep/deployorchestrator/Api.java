package dev.twostep.deployorchestrator;

import dev.twostep.access.Roles;
import dev.twostep.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** The deploy-orchestrator's HTTP API as the tests call it. */
public final class Api {

    private Api() {
    }

    /** A name no other test uses, so tests sharing one database and broker stay apart. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void defineEnvironment(String name, String promotesFrom, boolean requiresApproval,
                                         boolean autoRollback, String target) {
        given().contentType(ContentType.JSON).body("""
                        {"promotesFrom":%s,"requiresApproval":%s,"autoRollbackOnFailure":%s,"target":%s}"""
                        .formatted(promotesFrom == null ? "null" : "\"" + promotesFrom + "\"", requiresApproval,
                                autoRollback, target))
                .put("/environments/{name}", name).then().statusCode(200);
    }

    static void defineExternal(String name, String promotesFrom, boolean requiresApproval, boolean autoRollback) {
        defineEnvironment(name, promotesFrom, requiresApproval, autoRollback, "{\"kind\":\"external\"}");
    }

    public static ValidatableResponse deploy(String application, String version, String environment, String actor) {
        return given().auth().oauth2(TestTokens.of(actor, Roles.DEPLOYER)).contentType(ContentType.JSON)
                .body("{\"application\":\"%s\",\"version\":\"%s\",\"environment\":\"%s\"}"
                        .formatted(application, version, environment))
                .post("/deployments").then();
    }

    /** Requests a deployment that must be accepted; returns its id. */
    public static String deployed(String application, String version, String environment, String actor) {
        return deploy(application, version, environment, actor).statusCode(202).extract().path("id");
    }

    static ValidatableResponse report(String deploymentId, String status, String reason) {
        return given().contentType(ContentType.JSON)
                .body(reason == null ? "{\"status\":\"%s\"}".formatted(status)
                        : "{\"status\":\"%s\",\"reason\":\"%s\"}".formatted(status, reason))
                .post("/deployments/{id}/status", deploymentId).then();
    }

    static ValidatableResponse approve(String environment, String application, String version, String approvedBy) {
        return given().auth().oauth2(TestTokens.of(approvedBy, Roles.APPROVER)).contentType(ContentType.JSON)
                .body("{\"application\":\"%s\",\"version\":\"%s\"}".formatted(application, version))
                .post("/environments/{env}/approvals", environment).then();
    }

    static ValidatableResponse rollback(String environment, String application, String reason) {
        return given().contentType(ContentType.JSON).body("{\"reason\":\"%s\"}".formatted(reason))
                .post("/environments/{env}/applications/{app}/rollback", environment, application).then();
    }

    public static ValidatableResponse deployment(String id) {
        return given().get("/deployments/{id}", id).then();
    }

    static ValidatableResponse inventory(String environment) {
        return given().get("/environments/{env}/inventory", environment).then();
    }
}
