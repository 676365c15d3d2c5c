package dev.twostep.e2e;

import dev.twostep.cli.api.Service;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The prod overlay's shape: every service as two processes on one broker, one database each and one consumer group.
 * Under a steady load of builds, deployments, releases and metric samples spread over both replicas, one replica of
 * each service in turn is killed with SIGKILL and started again, as a lost node would do. Clients do what a
 * Kubernetes Service does for them: a call that cannot reach one replica goes to the other (with the same
 * Idempotency-Key where the API takes one). Afterwards nothing is lost, nothing doubled, no deployment failed that the
 * target did not fail, every aggregate reached its topic in order, and both release-controllers answer alike.
 */
class ReplicaCampaignTest {

    private static final int APPLICATIONS = 4;
    private static final String ENVIRONMENT = "campaign";

    @TempDir
    static Path directory;
    private static ExternalBroker broker;
    private static Platform platform;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicInteger operations = new AtomicInteger();
    private final AtomicInteger buildsPosted = new AtomicInteger();
    private final AtomicInteger samplesPosted = new AtomicInteger();
    private final List<String> deploymentIds = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> audienceChanges = new ConcurrentHashMap<>();
    private List<Future<?>> workers = List.of();

    @BeforeAll
    static void startTwoOfEach() {
        broker = ExternalBroker.start(directory.resolve("kafka"));
        platform = Platform.start("replicas", broker.bootstrapServers(), Set.of(Service.values()), 2);
    }

    @AfterAll
    static void stop() {
        platform.close();
        broker.close();
    }

    @Test
    void killingOneReplicaOfEachServiceInTurnUnderLoadLosesAndDoublesNothing() throws Exception {
        call(Service.DEPLOY, 0, "sam", spec -> spec.body(Map.of("requiresApproval", false,
                "autoRollbackOnFailure", true, "target", Map.of("kind", "external")))
                .put("/environments/" + ENVIRONMENT), 200, 201);
        String apiKey = call(Service.RELEASE, 1, "carol", spec -> spec.body(Map.of("name", "campaign-" + run,
                "environments", List.of(ENVIRONMENT))).post("/api-keys"), 201).path("key");

        ExecutorService load = Executors.newFixedThreadPool(4);
        workers = List.of(load.submit(this::postBuilds), load.submit(this::postBuilds),
                load.submit(this::deployAndRelease), load.submit(this::postSamples));
        for (Service service : Service.values()) {
            awaitProgress(20);
            platform.kill(service, 1);
            System.out.printf("killed %s replica 1 after %d operations%n", service.serviceName(), operations.get());
            awaitProgress(20);
            platform.restart(service, 1);
        }
        awaitProgress(20);
        loading.set(false);
        for (Future<?> worker : workers) {
            worker.get();
        }
        load.shutdown();

        assertBuildsArrivedOnceEverywhere(broker.bootstrapServers());
        assertDeploymentsSucceededOnce(broker.bootstrapServers());
        assertReleasesAndSamples(broker.bootstrapServers(), apiKey);
        assertEveryAggregateInOrder(broker.bootstrapServers());
    }

    /**
     * Read-your-writes across services and replicas: 1,000 chains of build, audience before deploy (409), deploy,
     * success, audience (200), each call made once, at once after the previous answer, on alternating replicas.
     * A service that has not consumed the news yet must catch up before it refuses, so no answer may be a refusal
     * that the client's own earlier writes contradict.
     */
    @Test
    void aClientCanActOnEachWriteAtTheNextServiceAtOnce() throws Exception {
        String environment = "ryw";
        call(Service.DEPLOY, 0, "sam", spec -> spec.body(Map.of("requiresApproval", false,
                "autoRollbackOnFailure", false, "target", Map.of("kind", "external")))
                .put("/environments/" + environment), 200, 201);
        List<String> spurious = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> chains = new ArrayList<>();
        long started = System.nanoTime();
        for (int number = 0; number < 1_000; number++) {
            int chain = number;
            chains.add(clients.submit(() -> readYourWrites(chain, environment, spurious)));
        }
        for (Future<?> chain : chains) {
            chain.get();
        }
        clients.shutdown();
        System.out.printf("1,000 read-your-writes chains in %.1f s, %d spurious refusals%n",
                (System.nanoTime() - started) / 1e9, spurious.size());
        assertThat(spurious).as("refusals contradicted by the client's own earlier writes").isEmpty();

        long typoStarted = System.nanoTime();
        Response typo = onReplica(Service.RELEASE, 0, "carol").body(Map.of("percentage", 5, "users", List.of(),
                "reason", "a typo")).put("/features/no-such-feature-" + run + "/environments/" + environment + "/audience");
        assertThat(typo.statusCode()).isEqualTo(404);
        assertThat(Duration.ofNanos(System.nanoTime() - typoStarted)).as("a typo is refused within the catch-up bound")
                .isLessThan(Duration.ofMillis(2_500));
    }

    private void readYourWrites(int number, String environment, List<String> spurious) {
        String application = "ryw-" + run + "-" + number;
        String feature = feature(application);
        expect(spurious, "build " + number, 201, onReplica(Service.BUILD, number, "github-actions").body("""
                {"buildId":"%s","ciSystem":"github-actions","runUrl":"https://ci.example.com/runs/%d",
                 "repository":"https://git.example.com/shop/%s","commit":"3f2a9c1d","branch":"main",
                 "outcome":"SUCCEEDED","startedAt":"2026-11-20T10:00:00Z","finishedAt":"2026-11-20T10:07:30Z",
                 "artefacts":[{"name":"%s","version":"1.0.0","digest":"sha256:%064x",
                   "uri":"oci://registry.example.com/%s:1.0.0","features":["%s"]}]}"""
                .formatted(application, number, application, application, number, application, feature))
                .post("/builds"));
        Map<String, Object> audience = Map.of("percentage", 50, "users", List.of(), "reason", "read your writes");
        Response beforeDeploy = onReplica(Service.RELEASE, number + 1, "carol").body(audience)
                .put("/features/" + feature + "/environments/" + environment + "/audience");
        if (beforeDeploy.statusCode() != 409 || !beforeDeploy.body().asString().contains("release needs deploy")) {
            spurious.add("audience before deploy " + number + ": " + beforeDeploy.statusCode() + " "
                    + beforeDeploy.body().asString());
        }
        Response requested = onReplica(Service.DEPLOY, number + 1, "argo-cd")
                .body(Map.of("application", application, "version", "1.0.0", "environment", environment))
                .post("/deployments");
        if (!expect(spurious, "deployment " + number, 202, requested)) {
            return;
        }
        expect(spurious, "report " + number, 200, onReplica(Service.DEPLOY, number, "argo-cd")
                .body(Map.of("status", "SUCCEEDED")).post("/deployments/" + requested.path("id") + "/status"));
        expect(spurious, "audience after deploy " + number, 200, onReplica(Service.RELEASE, number, "carol")
                .body(audience).put("/features/" + feature + "/environments/" + environment + "/audience"));
    }

    private static boolean expect(List<String> spurious, String what, int status, Response answer) {
        if (answer.statusCode() == status) {
            return true;
        }
        spurious.add(what + ": " + answer.statusCode() + " " + answer.body().asString());
        return false;
    }

    /** A call as {@code actor} to replica {@code number % 2} of the service. */
    private static RequestSpecification onReplica(Service service, int number, String actor) {
        return given().baseUri(platform.url(service, number % 2))
                .auth().oauth2(platform.credentials().tokenOf(actor).orElseThrow()).contentType("application/json");
    }

    private void postBuilds() {
        while (loading.get()) {
            int number = buildsPosted.getAndIncrement();
            String application = application(number);
            call(Service.BUILD, number % 2, "github-actions", spec -> spec.body("""
                    {"buildId":"%s-%d","ciSystem":"github-actions","runUrl":"https://ci.example.com/runs/%d",
                     "repository":"https://git.example.com/shop/%s","commit":"3f2a9c1d","branch":"main",
                     "outcome":"SUCCEEDED","startedAt":"2026-11-20T10:00:00Z","finishedAt":"2026-11-20T10:07:30Z",
                     "artefacts":[{"name":"%s","version":"1.0.%d","digest":"sha256:%064x",
                       "uri":"oci://registry.example.com/%s:1.0.%d","features":["%s"]}]}"""
                    .formatted(application, number, number, application, application, number, number, application,
                            number, feature(application))).post("/builds"), 201, 200);
            operations.incrementAndGet();
        }
    }

    /** Deploys build k's artefact, reports it succeeded, then widens its feature's audience: a chain per build. */
    private void deployAndRelease() {
        for (int number = 0; loading.get(); number++) {
            String application = application(number);
            String version = "1.0." + number;
            String known = "SELECT count(*) FROM known_artefact WHERE application = '" + application
                    + "' AND version = '" + version + "'";
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> !loading.get() || platform.count(Service.DEPLOY, known) == 1);
            if (platform.count(Service.DEPLOY, known) == 0) {
                return; // the load stopped before this build was known
            }
            String idempotencyKey = run + "-deploy-" + number;
            String id = call(Service.DEPLOY, number % 2, "argo-cd", spec -> spec
                    .header("Idempotency-Key", idempotencyKey)
                    .body(Map.of("application", application, "version", version, "environment", ENVIRONMENT))
                    .post("/deployments"), 202, 200).path("id");
            deploymentIds.add(id);
            call(Service.DEPLOY, (number + 1) % 2, "argo-cd", spec -> spec.body(Map.of("status", "SUCCEEDED"))
                    .post("/deployments/" + id + "/status"), 200, 409);
            String feature = feature(application);
            int percentage = number % 99 + 1;
            // The release-controller learns of the deployment from Kafka; until then the audience is 409.
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                Response answer = callOnce(Service.RELEASE, percentage % 2, "carol", spec -> spec.body(Map.of(
                        "percentage", percentage, "users", List.of(), "reason", "campaign step " + percentage))
                        .put("/features/" + feature + "/environments/" + ENVIRONMENT + "/audience"));
                return answer != null && answer.statusCode() == 200;
            });
            audienceChanges.merge(feature, 1, Integer::sum);
            operations.incrementAndGet();
        }
    }

    private void postSamples() {
        for (int batch = 0; loading.get(); batch++) {
            List<Map<String, Object>> samples = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                samples.add(Map.of("sampleId", run + "-" + batch + "-" + i, "application", application(i),
                        "environment", ENVIRONMENT, "featureKey", feature(application(i)),
                        "variant", i % 2 == 0 ? "on" : "off", "windowStart", "2026-11-29T10:00:00Z",
                        "windowEnd", "2026-11-29T10:00:10Z", "requests", 100, "errors", 1));
            }
            call(Service.ROLLOUT, batch % 2, "traffic-simulator", spec -> spec.body(Map.of("samples", samples))
                    .post("/metrics"), 200, 201, 202);
            samplesPosted.addAndGet(samples.size());
            operations.incrementAndGet();
        }
    }

    /**
     * Which layer proves what: the {@code artefact} and {@code known_artefact} rows are keyed by name and version, so
     * their counts prove that none is missing and cannot show a doubling; the distinct event ids per type can (an
     * event created twice, by two replicas or by a redelivery, carries two ids), while re-sent copies of one event
     * share its id and are counted apart.
     */
    private void assertBuildsArrivedOnceEverywhere(String bootstrapServers) {
        int builds = buildsPosted.get();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(platform.count(Service.REGISTRY, "SELECT count(*) FROM artefact WHERE name LIKE 'app-"
                        + run + "-%'")).as("artefacts in the registry, none missing").isEqualTo(builds));
        assertThat(distinctIds(bootstrapServers, Topics.BUILD_EVENTS, "dev.twostep.build.completed.v1"))
                .as("BuildCompleted events").isEqualTo(builds);
        assertThat(distinctIds(bootstrapServers, Topics.ARTEFACT_EVENTS, "dev.twostep.artefact.published.v1"))
                .as("ArtefactPublished events").isEqualTo(builds);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(platform.count(Service.DEPLOY, "SELECT count(*) FROM known_artefact WHERE application"
                        + " LIKE 'app-" + run + "-%'")).as("the orchestrator's artefacts, none missing")
                        .isEqualTo(builds));
        System.out.printf("builds: %d posted; BuildCompleted records on the topic: %d%n", builds,
                records(bootstrapServers, Topics.BUILD_EVENTS, "dev.twostep.build.completed.v1").size());
    }

    private void assertDeploymentsSucceededOnce(String bootstrapServers) {
        assertThat(deploymentIds).doesNotHaveDuplicates().isNotEmpty();
        for (String id : deploymentIds) {
            await().atMost(Duration.ofMinutes(1)).until(() -> "SUCCEEDED".equals(
                    call(Service.DEPLOY, 0, "viewer", spec -> spec.get("/deployments/" + id), 200).path("status")));
        }
        assertThat(platform.count(Service.DEPLOY, "SELECT count(*) FROM deployment WHERE status <> 'SUCCEEDED'"))
                .as("no deployment failed, rolled back or stuck that the target did not fail").isZero();
        assertThat(distinctIds(bootstrapServers, Topics.DEPLOYMENT_EVENTS, "dev.twostep.deployment.succeeded.v1"))
                .as("DeploymentSucceeded events").isEqualTo(deploymentIds.size());
        System.out.printf("deployments: %d, all SUCCEEDED once%n", deploymentIds.size());
    }

    private void assertReleasesAndSamples(String bootstrapServers, String apiKey) {
        int changes = audienceChanges.values().stream().mapToInt(Integer::intValue).sum();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(distinctIds(bootstrapServers,
                Topics.RELEASE_EVENTS, "dev.twostep.feature.released.v1")).as("FeatureReleased events")
                .isEqualTo(changes));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(platform.count(Service.ROLLOUT, "SELECT count(*) FROM metric_sample WHERE sample_id LIKE '"
                        + run + "-%'")).as("metric samples, none missing (keyed by sample id: no doubling shows)")
                        .isEqualTo(samplesPosted.get()));
        for (String user : List.of("alice", "bob", "user-17", "user-4242")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(flags(1, apiKey, user)).as("replica 1 answers %s as replica 0 does", user)
                            .isEqualTo(flags(0, apiKey, user)));
        }
        System.out.printf("releases: %d audience changes; samples: %d%n", changes, samplesPosted.get());
    }

    /** Each aggregate's events on each topic in sequence order (a re-sent copy may repeat an earlier one). */
    private static void assertEveryAggregateInOrder(String bootstrapServers) {
        for (String topic : List.of(Topics.BUILD_EVENTS, Topics.ARTEFACT_EVENTS, Topics.DEPLOYMENT_EVENTS,
                Topics.RELEASE_EVENTS, Topics.ROLLOUT_EVENTS)) {
            Map<String, Long> last = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<String, byte[]> record : KafkaProbe.readAll(bootstrapServers, topic)) {
                if (!seen.add(KafkaProbe.header(record, "ce_id"))) {
                    continue;
                }
                long sequence = Long.parseLong(KafkaProbe.header(record, "ce_sequence"));
                Long previous = last.put(record.key(), sequence);
                assertThat(previous == null || sequence > previous)
                        .as("%s: %s of %s follows %s", topic, sequence, record.key(), previous).isTrue();
            }
        }
    }

    private Map<String, Object> flags(int replica, String apiKey, String user) {
        Response answer = given().baseUri(platform.url(Service.RELEASE, replica)).header("X-API-Key", apiKey)
                .contentType("application/json")
                .body(Map.of("context", Map.of("targetingKey", user, "environment", ENVIRONMENT)))
                .post("/ofrep/v1/evaluate/flags");
        assertThat(answer.statusCode()).isEqualTo(200);
        Map<String, Object> values = new HashMap<>();
        List<Map<String, Object>> flags = answer.jsonPath().getList("flags");
        flags.stream().filter(flag -> String.valueOf(flag.get("key")).contains(run))
                .forEach(flag -> values.put(String.valueOf(flag.get("key")), flag.get("value")));
        return values;
    }

    /** Waits for the load to go on; a load worker that stopped on a failed call fails the test with its cause. */
    private void awaitProgress(int steps) throws Exception {
        int target = operations.get() + steps;
        await().atMost(Duration.ofMinutes(3)).until(() -> operations.get() >= target
                || workers.stream().anyMatch(Future::isDone));
        for (Future<?> worker : workers) {
            if (worker.isDone()) {
                worker.get();
                throw new AssertionError("a load worker stopped while the load was still on");
            }
        }
    }

    /**
     * One call as a load balancer would make it: to the preferred replica, and to the other when that one cannot be
     * reached or answers 503 (it is starting or stopping). The answer must have one of the expected statuses.
     */
    private Response call(Service service, int preferred, String actor,
                          Function<RequestSpecification, Response> request, int... expected) {
        Response answer = await().atMost(Duration.ofMinutes(1)).until(
                () -> callOnce(service, preferred, actor, request), response -> response != null);
        assertThat(answer.statusCode()).as("%s answered %s", service.serviceName(), answer.body().asString())
                .isIn(Arrays.stream(expected).boxed().toList());
        return answer;
    }

    private Response callOnce(Service service, int preferred, String actor,
                              Function<RequestSpecification, Response> request) {
        for (int replica : List.of(preferred, 1 - preferred)) {
            try {
                Response answer = request.apply(onReplica(service, replica, actor));
                if (answer.statusCode() != 503) {
                    return answer;
                }
            } catch (Exception unreachable) {
                // connection refused or reset: that replica is down; try the other
            }
        }
        return null;
    }

    private String application(int number) {
        return "app-" + run + "-" + (number % APPLICATIONS);
    }

    private static String feature(String application) {
        return "feat-" + application;
    }

    private long distinctIds(String bootstrapServers, String topic, String type) {
        return records(bootstrapServers, topic, type).stream().map(r -> KafkaProbe.header(r, "ce_id")).distinct()
                .count();
    }

    private List<ConsumerRecord<String, byte[]>> records(String bootstrapServers, String topic, String type) {
        return KafkaProbe.readAll(bootstrapServers, topic).stream()
                .filter(r -> type.equals(KafkaProbe.header(r, "ce_type"))).toList();
    }
}
