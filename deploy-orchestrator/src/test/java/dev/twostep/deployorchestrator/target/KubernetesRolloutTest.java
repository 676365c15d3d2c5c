package dev.twostep.deployorchestrator.target;

import dev.twostep.deployorchestrator.Ledger;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.testing.RealInfrastructure;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

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

    private static final String NAMESPACE = "shop";

    @Inject
    Ledger ledger;
    @Inject
    KubernetesClient kubernetes;

    @Test
    void aRolloutSucceedsWhenTheControllerReportsEveryReplicaUpdatedAndAvailable() {
        String app = "checkout-" + UUID.randomUUID().toString().substring(0, 8);
        String environment = defineKubernetesEnvironment(false);
        createWorkload(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, "registry.example.com/shop/" + app + ":1.0.0");

        String id = deploy(app, "1.0.0", environment);
        awaitImage(app, "registry.example.com/shop/" + app + "@" + Ledger.DIGEST_1);
        given().get("/deployments/{id}", id).then().body("status", equalTo("STARTED"));
        given().contentType(ContentType.JSON).body("{\"status\":\"SUCCEEDED\"}").post("/deployments/{id}/status", id)
                .then().statusCode(409).body("detail", containsString("watches itself"));
        playControllerRolloutDone(app);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/deployments/{id}", id).then().body("status", equalTo("SUCCEEDED")));
        given().get("/environments/{env}/inventory", environment).then()
                .body("applications[0].application", equalTo(app))
                .body("applications[0].digest", equalTo(Ledger.DIGEST_1));
    }

    @Test
    void aRolloutThatNeverBecomesAvailableFailsAndRollsBackToTheVersionBefore() {
        String app = "cart-" + UUID.randomUUID().toString().substring(0, 8);
        String environment = defineKubernetesEnvironment(true);
        createWorkload(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, "registry.example.com/shop/" + app + ":1.0.0");
        ledger.publish(app, "2.0.0", Ledger.DIGEST_2, "registry.example.com/shop/" + app + ":2.0.0");
        String first = deploy(app, "1.0.0", environment);
        awaitImage(app, "registry.example.com/shop/" + app + "@" + Ledger.DIGEST_1);
        playControllerRolloutDone(app);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/deployments/{id}", first).then().body("status", equalTo("SUCCEEDED")));

        String failing = deploy(app, "2.0.0", environment);
        awaitImage(app, "registry.example.com/shop/" + app + "@" + Ledger.DIGEST_2);
        // The controller never brings the new pods up: no status change.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/deployments/{id}", failing).then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("did not complete within")));

        awaitImage(app, "registry.example.com/shop/" + app + "@" + Ledger.DIGEST_1);
        playControllerRolloutDone(app);
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
        String app = "search-" + UUID.randomUUID().toString().substring(0, 8);
        String environment = defineKubernetesEnvironment(false);
        createWorkload(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, "registry.example.com/shop/" + app + ":1.0.0");
        String id = deploy(app, "1.0.0", environment);
        awaitImage(app, "registry.example.com/shop/" + app + "@" + Ledger.DIGEST_1);

        Deployment stuck = workload(app);
        stuck.setStatus(new DeploymentStatusBuilder().withObservedGeneration(stuck.getMetadata().getGeneration())
                .withReplicas(2).withUpdatedReplicas(1).withAvailableReplicas(0)
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet has timed out progressing.").endCondition().build());
        kubernetes.apps().deployments().inNamespace(NAMESPACE).resource(stuck).updateStatus();

        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> given().get("/deployments/{id}", id).then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("progress deadline: ReplicaSet has timed out progressing.")));
    }

    private String defineKubernetesEnvironment(boolean autoRollback) {
        String name = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"requiresApproval":false,"autoRollbackOnFailure":%s,
                 "target":{"kind":"kubernetes","namespace":"%s","deploymentNameTemplate":"{application}","container":"app"}}"""
                .formatted(autoRollback, NAMESPACE)).put("/environments/{name}", name).then().statusCode(200);
        return name;
    }

    private static String deploy(String app, String version, String environment) {
        return given().contentType(ContentType.JSON)
                .body("{\"application\":\"%s\",\"version\":\"%s\",\"environment\":\"%s\"}".formatted(app, version, environment))
                .post("/deployments").then().statusCode(202).extract().path("id");
    }

    private void createWorkload(String name) {
        kubernetes.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example.com/shop/" + name + ":0.9")
                .endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
    }

    private void awaitImage(String name, String image) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(workload(name).getSpec().getTemplate()
                .getSpec().getContainers().getFirst().getImage()).isEqualTo(image));
    }

    private Deployment workload(String name) {
        return kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    /** What the Deployment controller writes once every new pod is up and the old ones are gone. */
    private void playControllerRolloutDone(String name) {
        Deployment current = workload(name);
        long generation = current.getMetadata().getGeneration() == null ? 0 : current.getMetadata().getGeneration();
        current.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation)
                .withReplicas(2).withUpdatedReplicas(2).withReadyReplicas(2).withAvailableReplicas(2).build());
        kubernetes.apps().deployments().inNamespace(NAMESPACE).resource(current).updateStatus();
    }
}
