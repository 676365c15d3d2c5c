package dev.twostep.deployorchestrator;

import dev.twostep.access.Roles;
import dev.twostep.deployorchestrator.Ledger.Published;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.twostep.deployorchestrator.Api.approve;
import static dev.twostep.deployorchestrator.Api.defineExternal;
import static dev.twostep.deployorchestrator.Api.deploy;
import static dev.twostep.deployorchestrator.Api.deployed;
import static dev.twostep.deployorchestrator.Api.deployment;
import static dev.twostep.deployorchestrator.Api.inventory;
import static dev.twostep.deployorchestrator.Api.report;
import static dev.twostep.deployorchestrator.Api.rollback;
import static dev.twostep.deployorchestrator.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Deployments to external targets, against the real broker and database. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class DeploymentFlowTest {

    @Inject
    Ledger ledger;

    private static String runs(String application, String field) {
        return "applications.find { it.application == '" + application + "' }." + field;
    }

    @Test
    void aBuildTravelsFromDevThroughStagingAndAnApprovalIntoProd() {
        String app = unique("checkout");
        String dev = unique("dev");
        String staging = unique("staging");
        String prod = unique("prod");
        defineExternal(dev, null, false, false);
        defineExternal(staging, dev, false, false);
        defineExternal(prod, staging, true, true);
        EventEnvelope build = ledger.publish(app, "1.0.0");

        for (String environment : List.of(dev, staging, prod)) {
            if (environment.equals(prod)) {
                approve(prod, app, "1.0.0", "bob").statusCode(201);
            }
            String id = deploy(app, "1.0.0", environment, "alice").statusCode(202)
                    .header("Location", containsString("/deployments/"))
                    .body("url", containsString("/deployments/")).body("status", equalTo("STARTED"))
                    .extract().path("id");
            deployment(id).statusCode(200).body("requestedBy", equalTo("alice")).body("digest", equalTo(Ledger.DIGEST_1));
            report(id, "SUCCEEDED", null).statusCode(200).body("status", equalTo("SUCCEEDED"))
                    .body("replacedVersion", nullValue());
            inventory(environment).statusCode(200)
                    .body(runs(app, "version"), equalTo("1.0.0"))
                    .body(runs(app, "digest"), equalTo(Ledger.DIGEST_1))
                    .body(runs(app, "commit"), equalTo("c0ffee100"))
                    .body(runs(app, "buildId"), equalTo("build-1.0.0"))
                    .body(runs(app, "deploymentId"), equalTo(id));
        }

        given().get("/applications/{app}/deployments", app).then().statusCode(200)
                .body("environment", contains(prod, staging, dev));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Published> succeeded = Ledger.publishedOf(app).stream()
                    .filter(p -> p.envelope().data() instanceof DeploymentSucceeded).toList();
            assertThat(succeeded).extracting(p -> ((DeploymentSucceeded) p.envelope().data()).environment())
                    .containsExactlyInAnyOrder(dev, staging, prod);
            for (Published p : succeeded) {
                DeploymentSucceeded event = (DeploymentSucceeded) p.envelope().data();
                assertThat(event.digest()).isEqualTo(Ledger.DIGEST_1);
                assertThat(event.commit()).isEqualTo("c0ffee100");
                assertThat(KafkaProbe.header(p.record(), "ce_correlationid")).isEqualTo(build.correlationId());
                assertThat(p.record().key()).isEqualTo(event.deploymentId());
            }
        });
        assertThat(Ledger.publishedOf(app)).extracting(p -> KafkaProbe.header(p.record(), "ce_type"))
                .contains("dev.twostep.deployment.requested.v1", "dev.twostep.deployment.started.v1",
                        "dev.twostep.promotion.approved.v1");
    }

    @Test
    void everyRefusedDeploymentIsAProblemAndWritesNothing() {
        String app = unique("cart");
        String dev = unique("dev");
        String staging = unique("staging");
        String prod = unique("prod");
        defineExternal(dev, null, false, false);
        defineExternal(staging, dev, false, false);
        defineExternal(prod, null, true, false);
        ledger.publish(app, "1.0.0");
        ledger.publish(app, "2.0.0");
        ledger.revoke(app, "2.0.0");

        Ledger.Trace before = ledger.trace(app);
        deploy(app, "9.9.9", dev, "alice").statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("no artefact"));
        deploy(app, "2.0.0", dev, "alice").statusCode(409).body("detail", containsString("revoked"));
        deploy(app, "1.0.0", "nowhere", "alice").statusCode(422).body("detail", containsString("no environment"));
        deploy(app, "1.0.0", staging, "alice").statusCode(409).body("detail", containsString("promotes from " + dev));
        deploy(app, "1.0.0", prod, "alice").statusCode(409).body("detail", containsString("requires an approval"));
        given().contentType("application/json").body("{\"application\":\"" + app + "\"}").post("/deployments")
                .then().statusCode(400).body("violations.field", containsInAnyOrder("version", "environment"));
        given().auth().oauth2(TestTokens.of("bob", Roles.APPROVER)).contentType("application/json")
                .body("{\"application\":\"" + app + "\",\"version\":\"1.0.0\",\"environment\":\"" + dev + "\"}")
                .post("/deployments").then().statusCode(403).body("detail", containsString("[deployer]"));
        given().auth().oauth2(TestTokens.of("alice", Roles.DEPLOYER)).contentType("application/json")
                .body("{\"promotesFrom\":null,\"requiresApproval\":false,\"autoRollbackOnFailure\":false,"
                        + "\"target\":{\"kind\":\"external\"}}")
                .put("/environments/{name}", unique("mine")).then().statusCode(403)
                .body("detail", containsString("[sre]"));
        given().auth().none().get("/environments").then().statusCode(401);
        approve("nowhere", app, "1.0.0", "bob").statusCode(404);
        approve(prod, app, "9.9.9", "bob").statusCode(422);
        approve(prod, app, "2.0.0", "bob").statusCode(409);
        report("no-such-deployment", "SUCCEEDED", null).statusCode(404);
        deployment("no-such-deployment").statusCode(404).contentType("application/problem+json");
        inventory("nowhere").statusCode(404);
        ledger.assertNothingWritten(app, before);

        approve(prod, app, "1.0.0", "alice").statusCode(201);
        approve(prod, app, "1.0.0", "alice").statusCode(200);
        before = ledger.trace(app);
        deploy(app, "1.0.0", prod, "alice").statusCode(403)
                .body("detail", containsString("someone else must approve"));
        ledger.assertNothingWritten(app, before);

        String inFlight = deployed(app, "1.0.0", dev, "alice");
        before = ledger.trace(app);
        deploy(app, "1.0.0", dev, "carol").statusCode(409).body("detail", containsString("in flight"));
        report(inFlight, "FAILED", null).statusCode(400).body("violations.field", contains("reason"));
        report(inFlight, "DONE", null).statusCode(400).body("violations.field", contains("status"));
        ledger.assertNothingWritten(app, before);
    }

    @Test
    void ofTwoConcurrentRequestsForTheSameApplicationAndEnvironmentOneIsAcceptedAndTheOtherIsAConflict()
            throws Exception {
        String app = unique("profile");
        String dev = unique("dev");
        defineExternal(dev, null, false, false);
        ledger.publish(app, "1.0.0");
        ExecutorService requests = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<Integer> request = () -> {
                start.await();
                return deploy(app, "1.0.0", dev, "alice").extract().statusCode();
            };
            Future<Integer> first = requests.submit(request);
            Future<Integer> second = requests.submit(request);
            start.countDown();
            assertThat(List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder(202, 409);
        } finally {
            requests.shutdownNow();
        }
        assertThat(given().get("/applications/{app}/deployments", app).then().extract().jsonPath().getList("id"))
                .hasSize(1);
    }

    /**
     * The approvals of one version share a stream: a loser of the append race decides again and is recorded. Each
     * round of the race has a winner, so three approvers fit in the command path's three attempts.
     */
    @Test
    void approvalsOfOneVersionGivenAtTheSameMomentAreAllRecorded() throws Exception {
        String app = unique("ledger");
        String prod = unique("prod");
        defineExternal(prod, null, true, false);
        ledger.publish(app, "1.0.0");
        List<String> approvers = List.of("ann", "bob", "cid");
        assertThat(allAtOnce(approvers.stream().<Callable<Integer>>map(approver ->
                () -> approve(prod, app, "1.0.0", approver).extract().statusCode()).toList()))
                .hasSize(approvers.size()).containsOnly(201);
        approvers.forEach(approver -> approve(prod, app, "1.0.0", approver).statusCode(200));
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheSameDeployment() {
        String app = unique("search");
        String dev = unique("dev");
        defineExternal(dev, null, false, false);
        ledger.publish(app, "1.0.0");
        String body = "{\"application\":\"" + app + "\",\"version\":\"1.0.0\",\"environment\":\"" + dev + "\"}";
        String first = given().contentType("application/json").header("Idempotency-Key", "k-" + app).body(body)
                .post("/deployments").then().statusCode(202).extract().path("id");
        given().contentType("application/json").header("Idempotency-Key", "k-" + app).body(body)
                .post("/deployments").then().statusCode(202).body("id", equalTo(first))
                .header("Location", containsString(first));
        given().contentType("application/json").header("Idempotency-Key", "k-" + app)
                .body(body.replace(dev, "elsewhere")).post("/deployments").then().statusCode(422);
        assertThat(given().get("/applications/{app}/deployments", app).then().extract().jsonPath().getList("id"))
                .containsExactly(first);
    }

    /**
     * A client that retries before its first request was answered sends the same key twice at once: both pass the
     * key's check before either inserts, and the unique index stops one. That one is decided again and answers the
     * winner's deployment, where it used to be a 409.
     */
    @Test
    void requestsRacingWithOneIdempotencyKeyAllAnswerTheOneDeployment() throws Exception {
        String app = unique("search");
        String dev = unique("dev");
        defineExternal(dev, null, false, false);
        ledger.publish(app, "1.0.0");
        String body = "{\"application\":\"" + app + "\",\"version\":\"1.0.0\",\"environment\":\"" + dev + "\"}";
        int retries = 6;
        List<String> ids = allAtOnce(IntStream.range(0, retries).<Callable<String>>mapToObj(i -> () ->
                given().contentType("application/json").header("Idempotency-Key", "k-" + app).body(body)
                        .post("/deployments").then().statusCode(202).extract().<String>path("id")).toList());
        assertThat(ids).hasSize(retries).containsOnly(ids.getFirst());
        assertThat(given().get("/applications/{app}/deployments", app).then().extract().jsonPath().getList("id"))
                .containsExactly(ids.getFirst());
    }

    /** Sends the requests at the same moment, each from a thread of its own; their answers, in order. */
    private static <T> List<T> allAtOnce(List<Callable<T>> requests) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(requests.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> answers = requests.stream().map(request -> clients.submit(() -> {
                start.await();
                return request.call();
            })).toList();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> answer : answers) {
                results.add(answer.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anExternalTargetThatNeverReportsFailsAtTheTimeoutAndALateReportIsRefused() {
        String app = unique("billing");
        String dev = unique("dev");
        defineExternal(dev, null, false, false);
        ledger.publish(app, "1.0.0");
        String id = deployed(app, "1.0.0", dev, "alice");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> deployment(id).body("status", equalTo("FAILED"))
                .body("reason", containsString("twostep.deploy.external-timeout")));
        report(id, "SUCCEEDED", null).statusCode(409).body("detail", containsString("FAILED"));
        report(id, "FAILED", "gave up").statusCode(200).body("reason", containsString("no status report"));
        inventory(dev).body("applications", org.hamcrest.Matchers.empty());
    }

    @Test
    void aManualRollbackDeploysThePreviousVersionAgainAndSaysSo() {
        String app = unique("orders");
        String dev = unique("dev");
        defineExternal(dev, null, false, false);
        ledger.publish(app, "1.0.0");
        ledger.publish(app, "2.0.0");
        Ledger.Trace before = ledger.trace(app);
        rollback(dev, app, "nothing runs yet").statusCode(409);
        rollback("nowhere", app, "no such environment").statusCode(404);
        ledger.assertNothingWritten(app, before);
        report(deployed(app, "1.0.0", dev, "alice"), "SUCCEEDED", null).statusCode(200);
        before = ledger.trace(app);
        rollback(dev, app, "only one version ran").statusCode(409).body("detail", containsString("nothing to roll back to"));
        ledger.assertNothingWritten(app, before);
        report(deployed(app, "2.0.0", dev, "alice"), "SUCCEEDED", null).statusCode(200)
                .body("replacedVersion", equalTo("1.0.0"));

        String rollbackId = rollback(dev, app, "checkout errors up").statusCode(202)
                .header("Location", containsString("/deployments/"))
                .body("version", equalTo("1.0.0")).body("rollback.fromVersion", equalTo("2.0.0"))
                .extract().path("id");
        report(rollbackId, "SUCCEEDED", null).statusCode(200).body("replacedVersion", equalTo("2.0.0"));
        inventory(dev).body(runs(app, "version"), equalTo("1.0.0")).body(runs(app, "deploymentId"), equalTo(rollbackId));
        awaitRolledBack(app, rollbackId, "2.0.0", "1.0.0", "checkout errors up");
    }

    @Test
    void aFailedDeploymentRollsBackByItselfWhereTheEnvironmentAsksForIt() {
        String app = unique("payments");
        String staging = unique("staging");
        defineExternal(staging, null, false, true);
        ledger.publish(app, "1.0.0");
        ledger.publish(app, "2.0.0");
        report(deployed(app, "1.0.0", staging, "alice"), "SUCCEEDED", null).statusCode(200);
        String failing = deployed(app, "2.0.0", staging, "alice");

        report(failing, "FAILED", "pods crash-loop").statusCode(200).body("status", equalTo("FAILED"));
        String rollbackId = given().get("/applications/{app}/deployments", app).then()
                .body("[0].version", equalTo("1.0.0")).body("[0].status", equalTo("STARTED"))
                .body("[0].requestedBy", equalTo("deploy-orchestrator"))
                .body("[0].rollback.fromVersion", equalTo("2.0.0"))
                .body("[0].rollback.reason", containsString("pods crash-loop"))
                .extract().path("[0].id");
        report(rollbackId, "SUCCEEDED", null).statusCode(200);
        inventory(staging).body(runs(app, "version"), equalTo("1.0.0"));
        awaitRolledBack(app, rollbackId, "2.0.0", "1.0.0", "automatic rollback: deployment " + failing);
    }

    @Test
    void everyDeploymentEndpointIsDescribedInOpenApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.keySet()", org.hamcrest.Matchers.hasItems("/deployments", "/deployments/{id}",
                        "/deployments/{id}/status", "/environments/{name}/approvals",
                        "/environments/{name}/applications/{application}/rollback", "/environments/{name}/inventory",
                        "/applications/{application}/deployments"));
    }

    private static void awaitRolledBack(String app, String rollbackId, String from, String to, String reason) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Published> rolledBack = Ledger.publishedOf(app).stream()
                    .filter(p -> p.envelope().data() instanceof DeploymentRolledBack).toList();
            assertThat(rolledBack).hasSize(1);
            DeploymentRolledBack event = (DeploymentRolledBack) rolledBack.getFirst().envelope().data();
            assertThat(rolledBack.getFirst().record().key()).isEqualTo(rollbackId);
            assertThat(event.fromVersion()).isEqualTo(from);
            assertThat(event.toVersion()).isEqualTo(to);
            assertThat(event.reason()).startsWith(reason);
        });
    }
}
