package dev.twostep.deployorchestrator.target;

import dev.twostep.deployorchestrator.Api;
import dev.twostep.deployorchestrator.Ledger;
import dev.twostep.deployorchestrator.config.DeployConfig;
import dev.twostep.deployorchestrator.service.DeploymentService;
import dev.twostep.deployorchestrator.service.DeploymentSupervisor;
import dev.twostep.testing.RealInfrastructure;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.twostep.deployorchestrator.target.Workloads.pinned;
import static dev.twostep.deployorchestrator.target.Workloads.uri;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two replicas of the orchestrator acting on one deployment, against fabric8's mock API server in
 * CRUD mode, which refuses a write based on an outdated resourceVersion with 409, as an API server
 * does. The scheduler is off: the test runs each supervisor pass itself, one per replica, in two
 * threads of one JVM, each pass with its own database transactions, as two processes would have;
 * a {@link PatchGate} holds a pass at its write of the Deployment while the other one acts.
 */
@QuarkusTest
@TestProfile(TwoReplicasTest.PassesRunByTheTest.class)
@WithTestResource(RealInfrastructure.class)
@WithTestResource(KubernetesMockServerResource.class)
class TwoReplicasTest {

    public static class PassesRunByTheTest implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    @Inject
    Ledger ledger;
    @Inject
    KubernetesClient kubernetes;
    @Inject
    DeployConfig config;
    @Inject
    DeploymentSupervisor supervisor;
    @Inject
    DeploymentService deployments;

    private final ExecutorService replicaA = Executors.newSingleThreadExecutor();
    private Workloads workloads;
    private KubernetesClient gatedClient;

    @BeforeEach
    void workloads() {
        workloads = new Workloads(kubernetes);
    }

    @AfterEach
    void stop() {
        replicaA.shutdownNow();
        if (gatedClient != null) {
            gatedClient.close();
        }
    }

    @Test
    void twoReplicasSupervisingOneDeploymentSetItsImageOnceAndNeitherFailsNorRollsItBack() throws Exception {
        String app = Api.unique("checkout");
        String environment = Workloads.defineEnvironment(true);
        workloads.create(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, uri(app, "1.0.0"));
        ledger.publish(app, "2.0.0", Ledger.DIGEST_2, uri(app, "2.0.0"));
        String first = Api.deployed(app, "1.0.0", environment, "alice");
        supervisor.superviseStartedDeployments();
        workloads.playControllerRolloutDone(app);
        supervisor.superviseStartedDeployments();
        Api.deployment(first).body("status", equalTo("SUCCEEDED"));
        String second = Api.deployed(app, "2.0.0", environment, "alice");

        PatchGate gate = gateWritesOf(app);
        Future<?> passOfA = passOfReplicaA();
        // Replica A has read the deployment and the Deployment, and is held at its write of the image ...
        gate.awaitFirstWrite();
        // ... while replica B runs a whole pass.
        supervisor.superviseStartedDeployments();
        gate.release();
        passOfA.get(30, TimeUnit.SECONDS);

        JsonPath history = given().get("/applications/{app}/deployments", app).then().extract().jsonPath();
        assertSoftly(softly -> {
            softly.assertThat(gate.writes()).as("writes of the image to the Deployment").isEqualTo(1);
            softly.assertThat(workloads.image(app)).isEqualTo(pinned(app, Ledger.DIGEST_2));
            softly.assertThat(history.getList("id", String.class)).as("deployments, no rollback among them")
                    .containsExactly(second, first);
            softly.assertThat(history.getList("status", String.class)).containsExactly("STARTED", "SUCCEEDED");
        });
        workloads.playControllerRolloutDone(app);
        supervisor.superviseStartedDeployments();
        Api.deployment(second).body("status", equalTo("SUCCEEDED"));
    }

    @Test
    void aDeploymentChangedByAnotherWriterBetweenReadAndWriteIsSetAgainAtTheNextPassInsteadOfFailing()
            throws Exception {
        String app = Api.unique("cart");
        String environment = Workloads.defineEnvironment(false);
        workloads.create(app);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, uri(app, "1.0.0"));
        String id = Api.deployed(app, "1.0.0", environment, "alice");

        PatchGate gate = gateWritesOf(app);
        Future<?> pass = passOfReplicaA();
        gate.awaitFirstWrite();
        // Someone else (kubectl annotate, say) changes the Deployment after the pass read it.
        kubernetes.apps().deployments().inNamespace(Workloads.NAMESPACE).withName(app).edit(deployment ->
                new DeploymentBuilder(deployment).editMetadata().addToAnnotations("owner", "sre").endMetadata()
                        .build());
        gate.release();
        pass.get(30, TimeUnit.SECONDS);

        Api.deployment(id).body("status", equalTo("STARTED"));
        assertThat(workloads.image(app)).as("refused with 409").isEqualTo(uri(app, "0.9"));
        supervisor.superviseStartedDeployments();
        assertThat(workloads.image(app)).isEqualTo(pinned(app, Ledger.DIGEST_1));
        assertThat(gate.writes()).isEqualTo(2);
        workloads.playControllerRolloutDone(app);
        supervisor.superviseStartedDeployments();
        Api.deployment(id).body("status", equalTo("SUCCEEDED"));
    }

    @Test
    void aStaleRecordOfTheImageAfterTheDeploymentConcludedLeavesItConcluded() {
        String app = Api.unique("search");
        String environment = Workloads.defineEnvironment(false);
        ledger.publish(app, "1.0.0", Ledger.DIGEST_1, uri(app, "1.0.0"));
        String id = Api.deployed(app, "1.0.0", environment, "alice");

        Throwable stale = catchThrowable(() -> QuarkusTransaction.requiringNew().run(() -> {
            // This writer reads the deployment while it is STARTED ...
            deployments.recordImageSet(id, 7);
            // ... and before it commits, another replica concludes the deployment.
            QuarkusTransaction.requiringNew().run(() ->
                    deployments.concludeStarted(id, Optional.of("rollout failed")));
        }));

        assertSoftly(softly -> {
            softly.assertThat(stale).as("the stale write is refused").isNotNull();
            softly.assertThat(Api.deployment(id).extract().<String>path("status")).isEqualTo("FAILED");
            softly.assertThat(Api.deploy(app, "1.0.0", environment, "alice").extract().statusCode())
                    .as("a next deployment of the application, nothing being left in flight").isEqualTo(202);
        });
    }

    /** A supervisor pass in a thread of its own, with a request context as the scheduler gives it. */
    private Future<?> passOfReplicaA() {
        return replicaA.submit(() -> {
            ManagedContext requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                supervisor.superviseStartedDeployments();
            } finally {
                requestContext.terminate();
            }
        });
    }

    /** Until the test ends, the orchestrator's target talks to the API server through a gate on the app's writes. */
    private PatchGate gateWritesOf(String app) {
        PatchGate gate = new PatchGate(app);
        gatedClient = KubernetesClientProducer.builder(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("gate", gate)).build();
        QuarkusMock.installMockForType(new KubernetesTarget(gatedClient), KubernetesTarget.class);
        return gate;
    }
}
