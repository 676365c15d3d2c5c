package dev.twostep.deployorchestrator.target;

import dev.twostep.deployorchestrator.Api;
import dev.twostep.deployorchestrator.Ledger;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.testing.RealInfrastructure;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.twostep.deployorchestrator.target.Workloads.pinned;
import static dev.twostep.deployorchestrator.target.Workloads.uri;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Deployments to a Kubernetes target, against fabric8's mock API server (CRUD mode). No real API
 * server runs here, so the test plays the Deployment controller: it writes the status a
 * controller would write once the new pods are up, or never does.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(KubernetesMockServerResource.class)
class KubernetesRolloutTest {

    @Inject
    Ledger ledger;
    @Inject
    KubernetesClient kubernetes;

    private Workloads workloads;

    @BeforeEach
    void workloads() {
        workloads = new Workloads(kubernetes);
    }

    @Test
    void aRolloutSucceedsWhenTheControllerReportsEveryReplicaUpdatedAndAvailable() {
        String app = Api.unique("checkout");
        String environment = Workloads.defineEnvironment(false);
        workloads.create(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, uri(app, "1.0.0"));

        String id = deploy(app, "1.0.0", environment);
        workloads.awaitImage(app, pinned(app, Ledger.DIGEST_1));
        given().get("/deployments/{id}", id).then().body("status", equalTo("STARTED"));
        given().contentType(ContentType.JSON).body("{\"status\":\"SUCCEEDED\"}").post("/deployments/{id}/status", id)
                .then().statusCode(409).body("detail", containsString("watches itself"));
        workloads.playControllerRolloutDone(app);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/deployments/{id}", id).then().body("status", equalTo("SUCCEEDED")));
        given().get("/environments/{env}/inventory", environment).then()
                .body("applications[0].application", equalTo(app))
                .body("applications[0].digest", equalTo(Ledger.DIGEST_1));
    }

    @Test
    void aRolloutThatNeverBecomesAvailableFailsAndRollsBackToTheVersionBefore() {
        String app = Api.unique("cart");
        String environment = Workloads.defineEnvironment(true);
        workloads.create(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, uri(app, "1.0.0"));
        ledger.publish(app, "2.0.0", Ledger.DIGEST_2, uri(app, "2.0.0"));
        String first = deploy(app, "1.0.0", environment);
        workloads.awaitImage(app, pinned(app, Ledger.DIGEST_1));
        workloads.playControllerRolloutDone(app);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/deployments/{id}", first).then().body("status", equalTo("SUCCEEDED")));

        String failing = deploy(app, "2.0.0", environment);
        workloads.awaitImage(app, pinned(app, Ledger.DIGEST_2));
        // The controller never brings the new pods up: no status change.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/deployments/{id}", failing).then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("did not complete within")));

        workloads.awaitImage(app, pinned(app, Ledger.DIGEST_1));
        workloads.playControllerRolloutDone(app);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/applications/{app}/deployments", app).then()
                        .body("[0].version", equalTo("1.0.0"))
                        .body("[0].rollback.fromVersion", equalTo("2.0.0"))
                        .body("[0].status", equalTo("SUCCEEDED")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Ledger.publishedOf(app))
                .extracting(p -> p.envelope().data())
                .filteredOn(DeploymentRolledBack.class::isInstance)
                .singleElement().satisfies(e -> {
                    assertThat(((DeploymentRolledBack) e).fromVersion()).isEqualTo("2.0.0");
                    assertThat(((DeploymentRolledBack) e).toVersion()).isEqualTo("1.0.0");
                }));
    }

    @Test
    void aRolloutPastItsProgressDeadlineFailsAtOnceWithTheControllersMessage() {
        String app = Api.unique("search");
        String environment = Workloads.defineEnvironment(false);
        workloads.create(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, uri(app, "1.0.0"));
        String id = deploy(app, "1.0.0", environment);
        workloads.awaitImage(app, pinned(app, Ledger.DIGEST_1));

        Deployment stuck = workloads.get(app);
        stuck.setStatus(new DeploymentStatusBuilder().withObservedGeneration(stuck.getMetadata().getGeneration())
                .withReplicas(2).withUpdatedReplicas(1).withAvailableReplicas(0)
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet has timed out progressing.").endCondition().build());
        kubernetes.apps().deployments().inNamespace(Workloads.NAMESPACE).resource(stuck).updateStatus();

        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> given().get("/deployments/{id}", id).then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("progress deadline: ReplicaSet has timed out progressing.")));
    }

    private static String deploy(String app, String version, String environment) {
        return Api.deployed(app, version, environment, "alice");
    }
}
