package dev.twostep.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.Service;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile-input campaign. Every JSON write endpoint that the five services' OpenAPI documents declare is broken
 * field by field from its own request schema ({@link FieldCampaign}): each field missing, null, of another type, out
 * of its range, too long, off its pattern, with control characters. Every case that breaks a rule of the schema must
 * be a 4xx problem+json whose violations name the field, and all of them together must change nothing: no row in any
 * database, and no event on any topic once each relay has drained. Each endpoint also gets bodies of the wrong shape
 * and seeded random bytes, and seeded random values in its own fields. Every consumed topic gets undecodable,
 * unknown, future-version and header-less records, which must land in its DLQ, and a duplicate of a real event,
 * which must change nothing.
 *
 * <p>The random inputs come from one seed, printed at the start and in every failure; run again with
 * {@code -Dtwostep.hostile.seed=<seed>} to get the same documents.
 */
@ExtendWith(SharedPlatform.class)
class HostileInputTest {

    private static final int GENERATED_PER_ENDPOINT = 30;
    private static final int NOISE_PER_ENDPOINT = 10;
    private static final String CONTROL = "a\u0000b\u0007c\u001bd";
    private static final String SQL = "x'); DROP TABLE event_store; --";
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String HUGE = "x".repeat(100_000);
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private static Platform platform;
    private static long seed;
    private static final Map<Service, JsonNode> OPEN_API = new LinkedHashMap<>();

    @BeforeAll
    static void connect(Platform shared) {
        platform = shared;
        seed = Long.getLong("twostep.hostile.seed", new SecureRandom().nextLong());
        System.out.println("hostile-input seed: " + seed + " (run again with -Dtwostep.hostile.seed=" + seed + ")");
        for (Service service : Service.values()) {
            OPEN_API.put(service, read(given().baseUri(platform.url(service)).get("/q/openapi?format=json").then()
                    .statusCode(200).extract().asByteArray()));
        }
    }

    /** The campaign finds its endpoints in the OpenAPI documents: none that the other tests know may be missing. */
    @Test
    void theOpenApiDocumentsDeclareEveryJsonWriteEndpointWithItsSchema() {
        List<JsonWriteOperation> operations = operations();

        assertThat(WriteEndpoint.ALL).filteredOn(WriteEndpoint::takesJson).allSatisfy(known ->
                assertThat(operations).as("operations serving %s", known)
                        .anySatisfy(operation -> assertThat(operation.serves(known.method(), known.path())).isTrue()));
        assertThat(operations.stream().filter(o -> o.schema().isPresent()).count()).as("operations with a schema")
                .isGreaterThanOrEqualTo(17);
        System.out.println("JSON write operations in the OpenAPI documents (" + operations.size() + "): "
                + operations.stream().map(o -> o + (o.schema().isPresent() ? "" : " (no schema)")).toList());
    }

    @Test
    void everyJsonWriteEndpointRefusesEveryBrokenFieldAndNothingChanges() {
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        Map<String, String> casesPerEndpoint = new TreeMap<>();
        List<Runnable> mayBeAccepted = new ArrayList<>();
        List<String> refusedValid = new ArrayList<>();

        Map<String, Long> beforeMarkers = settledState();
        writeMarkersAndAwaitThem("before");
        Map<String, Long> before = settledState();

        int fieldCases = 0;
        for (JsonWriteOperation operation : operations()) {
            FieldCampaign campaign = new FieldCampaign(OPEN_API.get(operation.service()));
            List<byte[]> wrongShapes = new ArrayList<>(shapes());
            wrongShapes.addAll(noise(random));
            for (byte[] body : wrongShapes) {
                if (operation.schema().isEmpty() && isJson(body)) {
                    // A document without a schema (a flag definition, a segment) may be any JSON: `true` is a rule.
                    mayBeAccepted.add(() -> expectNoFailure(operation, new FieldCampaign.Case("", "any JSON",
                            read(body), false), false, failures));
                } else {
                    expectRefusal(operation, body, null, "wrong shape", failures);
                }
            }
            if (operation.schema().isEmpty()) {
                casesPerEndpoint.put(operation.toString(), wrongShapes.size() + " wrong shapes, no schema");
                continue;
            }
            JsonNode schema = operation.schema().get();
            JsonNode valid = campaign.validDocument(schema);
            List<FieldCampaign.Case> cases = campaign.cases(schema, valid);
            List<FieldCampaign.Case> generated = campaign.generated(valid, random, GENERATED_PER_ENDPOINT);
            long refused = 0;
            List<FieldCampaign.Case> allowed = new ArrayList<>(generated);
            for (FieldCampaign.Case broken : cases) {
                if (broken.mustBeRefused()) {
                    refused++;
                    expectRefusal(operation, json(broken.body()), broken.field(), broken.breakage(), failures);
                } else {
                    allowed.add(broken);
                }
            }
            mayBeAccepted.add(() -> {
                boolean validPasses = expectValid(operation, valid, failures, refusedValid);
                allowed.forEach(broken -> expectNoFailure(operation, broken, validPasses, failures));
            });
            fieldCases += cases.size();
            casesPerEndpoint.put(operation.toString(), cases.size() + " field cases (" + refused + " must be refused), "
                    + generated.size() + " generated, " + wrongShapes.size() + " wrong shapes");
        }

        writeMarkersAndAwaitThem("after");
        Map<String, Long> after = settledState();
        // Only now the cases that may legitimately be accepted, so that what they write is not counted above.
        mayBeAccepted.forEach(Runnable::run);

        System.out.println("hostile HTTP inputs per endpoint: " + casesPerEndpoint);
        System.out.println("field cases: " + fieldCases + " over " + casesPerEndpoint.size() + " JSON write endpoints");
        System.out.println("documents valid for their schema that a rule outside it refuses (their optional fields "
                + "were checked for no 5xx only): " + refusedValid);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(failures).as("answers that were not as the schema demands (seed %d)", seed).isEmpty();
            softly.assertThat(difference(after, before))
                    .as("rows and topic end offsets that the refused inputs and the second markers changed, against "
                            + "what the first markers alone changed (seed %d)", seed)
                    .isEqualTo(difference(before, beforeMarkers));
        });
    }

    @Test
    void cdEventsThatAreNotCloudEventsAreRefusedAndNothingChanges() {
        Map<String, Long> rowsBefore = settledRowCounts();
        List<Response> answers = new ArrayList<>();
        for (byte[] body : shapes()) {
            answers.add(given().baseUri(platform.url(Service.BUILD)).auth().oauth2(token("github-actions"))
                    .contentType("application/cloudevents+json").body(body).post("/cdevents"));
            answers.add(given().baseUri(platform.url(Service.BUILD)).auth().oauth2(token("github-actions"))
                    .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/ci")
                    .header("ce-type", "dev.cdevents.artifact.packaged.0.99.0").contentType("application/json")
                    .body(body).post("/cdevents"));
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isBetween(400, 499));
        assertThat(platform.rowCounts()).isEqualTo(rowsBefore);
    }

    @Test
    void everyConsumedTopicSendsPoisonToItsDeadLetterQueueAndDuplicatesChangeNothing() {
        // Each consumer group dead-letters on its own: artefact events are read by two services, and every topic but
        // the metrics also by the console once a test has started it. The broker says which groups read each topic.
        Map<String, Integer> consumers = Map.of(Topics.BUILD_EVENTS, 1, Topics.ARTEFACT_EVENTS, 2,
                Topics.DEPLOYMENT_EVENTS, 1, Topics.RELEASE_EVENTS, 1, Topics.ROLLOUT_EVENTS, 1, Topics.METRICS, 1);
        Map<String, ConsumerRecord<String, byte[]>> originals = new TreeMap<>(writeMarkersAndAwaitThem("original"));
        originals.putAll(sendAsTheirProducersDo());
        assertThat(originals.keySet()).as("topics with a real event to send again").isEqualTo(consumers.keySet());

        Map<String, Long> rowsBefore = settledRowCounts();
        Map<String, Long> deadBefore = new TreeMap<>();
        consumers.keySet().forEach(topic -> deadBefore.put(topic, KafkaProbe.endOffsetSum(Topics.deadLetter(topic))));

        Map<String, Integer> poisonPerTopic = new TreeMap<>();
        for (String topic : consumers.keySet()) {
            List<ProducerRecord<String, byte[]>> poison = poison(topic);
            poison.forEach(KafkaProbe::send);
            poisonPerTopic.put(topic, poison.size());
            // The real event again, as an at-least-once producer may send it: applied once already, so nothing changes.
            ConsumerRecord<String, byte[]> real = originals.get(topic);
            KafkaProbe.send(new ProducerRecord<>(topic, null, real.key(), real.value(), real.headers()));
        }
        System.out.println("poison records sent per topic: " + poisonPerTopic + ", and one duplicate each");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> consumers.forEach((topic, services) -> {
            long groups = KafkaProbe.groupsReading(topic);
            assertThat(groups).as("consumer groups reading %s", topic).isGreaterThanOrEqualTo(services);
            assertThat(KafkaProbe.endOffsetSum(Topics.deadLetter(topic)) - deadBefore.get(topic))
                    .as("records dead-lettered from %s by %d groups", topic, groups)
                    .isEqualTo(poisonPerTopic.get(topic) * groups);
        }));
        assertThat(KafkaProbe.readAll(Topics.deadLetter(Topics.METRICS)).getLast().headers()
                .lastHeader("dead-letter-reason")).as("the DLQ says why").isNotNull();
        assertThat(settledRowCounts()).as("rows after poison and duplicates").isEqualTo(rowsBefore);
    }

    /** A case that breaks a rule of the schema: a 4xx problem+json whose violations name the field. */
    private static void expectRefusal(JsonWriteOperation operation, byte[] body, String field, String breakage,
                                      List<String> failures) {
        Response answer = call(operation, body);
        String contentType = answer.contentType() == null ? "" : answer.contentType();
        boolean refused = answer.statusCode() >= 400 && answer.statusCode() <= 499
                && contentType.startsWith("application/problem+json");
        if (!refused || (field != null && !names(answer, Set.of(field)))) {
            failures.add(operation + " " + (field == null ? "" : field + " ") + "(" + breakage + ") answered "
                    + answer.statusCode() + " " + contentType + " " + preview(answer.asByteArray()) + " to "
                    + preview(body));
        }
    }

    /**
     * A case the schema allows to succeed (an optional field missing or null, an unbounded text long, random values,
     * any JSON where there is no schema): never a 5xx, a refusal as problem+json, and, where {@code mustName}, a 400
     * that names one of the fields it broke, but not an optional field for being missing.
     */
    private static void expectNoFailure(JsonWriteOperation operation, FieldCampaign.Case broken, boolean mustName,
                                        List<String> failures) {
        byte[] body = json(broken.body());
        Response answer = call(operation, body);
        String contentType = answer.contentType() == null ? "" : answer.contentType();
        Set<String> fields = new TreeSet<>(Arrays.asList(broken.field().split(",")));
        boolean fine = answer.statusCode() < 400 || (answer.statusCode() <= 499
                && contentType.startsWith("application/problem+json") && (answer.statusCode() != 400
                || !mustName || names(answer, fields)));
        // The schema calls the field optional: a refusal that names it for being missing contradicts the document.
        boolean contradictsSchema = mustName && broken.breakage().equals("missing") && answer.statusCode() == 400
                && names(answer, fields);
        if (!fine || contradictsSchema) {
            failures.add(operation + " " + broken.field() + " (" + broken.breakage() + ") answered "
                    + answer.statusCode() + " " + contentType + " " + preview(answer.asByteArray()) + " to "
                    + preview(body));
        }
    }

    /**
     * The campaign's starting document: never a 5xx. A 400 means a rule the schema does not state (one field against
     * another, or against what the platform holds) refuses it; it is listed, and the cases that may succeed are then
     * held only to "no 5xx", since whatever they break, that rule answers first. Returns whether it passed.
     */
    private static boolean expectValid(JsonWriteOperation operation, JsonNode valid, List<String> failures,
                                       List<String> refusedValid) {
        Response answer = call(operation, json(valid));
        if (answer.statusCode() >= 500) {
            failures.add(operation + " failed on the valid document " + valid + " with " + answer.statusCode() + " "
                    + preview(answer.asByteArray()));
        }
        if (answer.statusCode() == 400) {
            refusedValid.add(operation + ": " + read(answer.asByteArray()).path("detail").asText());
        }
        return answer.statusCode() != 400;
    }

    /**
     * Whether a violation names one of the fields, or a field inside one of them. An element of a set has no index,
     * so {@code environments[0]} is named as {@code environments[]} too.
     */
    private static boolean names(Response answer, Set<String> fields) {
        JsonNode problem = read(answer.asByteArray());
        for (JsonNode violation : problem.path("violations")) {
            String named = violation.path("field").asText();
            for (String field : fields) {
                for (String name : new TreeSet<>(List.of(field, field.replace("[0]", "[]")))) {
                    if (named.equals(name) || named.startsWith(name + ".") || named.startsWith(name + "[")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isJson(byte[] body) {
        try {
            EventJson.mapper().readTree(body);
            return body.length > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Response call(JsonWriteOperation operation, byte[] body) {
        return given().baseUri(platform.url(operation.service()))
                .auth().oauth2(platform.issuer().token("hostile-campaign", Duration.ofMinutes(10),
                        List.copyOf(operation.roles())))
                .contentType("application/json").body(body).request(operation.method(), operation.path());
    }

    private static List<JsonWriteOperation> operations() {
        return OPEN_API.entrySet().stream().flatMap(e -> JsonWriteOperation.in(e.getKey(), e.getValue()).stream())
                .toList();
    }

    /**
     * One write per service that publishes, each a new aggregate named for {@code tag}, awaited on its topic. Once a
     * service's event is there, its relay has published everything committed before it, so end offsets read after
     * this are final; the records are returned by topic. (The rollout-analyzer publishes only decisions, which need a
     * judged rollout; every write it could make shows in its event store's row count.)
     */
    private static Map<String, ConsumerRecord<String, byte[]>> writeMarkersAndAwaitThem(String tag) {
        String id = "marker-" + tag + "-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("buildId", id);
        build.put("ciSystem", "hostile-input-test");
        build.put("runUrl", "https://ci.example.com/runs/" + id);
        build.put("repository", "https://git.example.com/hostile");
        build.put("commit", COMMIT);
        build.put("branch", "main");
        build.put("outcome", "FAILED");
        build.put("startedAt", now.minusSeconds(60).toString());
        build.put("finishedAt", now.toString());
        build.put("artefacts", List.of());
        Map<String, Object> artefact = Map.of("name", id, "version", "1.0.0",
                "digest", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "uri", "pkg:oci/" + id, "repository", "https://git.example.com/hostile", "commit", COMMIT,
                "features", List.of());
        assertSuccess(write(Service.BUILD, "ci", "POST", "/builds", build));
        assertSuccess(write(Service.REGISTRY, "publisher", "POST", "/artefacts", artefact));
        assertSuccess(write(Service.DEPLOY, "sre", "PUT", "/environments/" + id, Map.of("requiresApproval", false,
                "autoRollbackOnFailure", false, "target", Map.of("kind", "external"))));
        assertSuccess(write(Service.RELEASE, "release-manager", "PUT", "/features/" + id, Map.of()));

        Map<String, ConsumerRecord<String, byte[]>> markers = new HashMap<>();
        for (String topic : List.of(Topics.BUILD_EVENTS, Topics.ARTEFACT_EVENTS, Topics.DEPLOYMENT_EVENTS,
                Topics.RELEASE_EVENTS)) {
            await().alias(id + " on " + topic).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        KafkaProbe.readAll(topic).stream()
                                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"" + id + "\""))
                                .findFirst().ifPresent(record -> markers.put(topic, record));
                        return markers.containsKey(topic);
                    });
        }
        return markers;
    }

    /**
     * A real event on each topic that no service writes on request: a metric sample as a metrics pipeline sends it,
     * and a rollout decision as the rollout-analyzer sends it (for a rollout the release-controller does not know,
     * which it applies by changing nothing).
     */
    private static Map<String, ConsumerRecord<String, byte[]>> sendAsTheirProducersDo() {
        String id = "original-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, ConsumerRecord<String, byte[]>> sent = new HashMap<>();
        sendAndAwait(sent, Topics.METRICS, "dev.twostep.metric.samplerecorded.v1", id, """
                {"sampleId": "%s", "application": "hostile", "environment": "hostile", "featureKey": "hostile",
                 "variant": "on", "windowStart": "2026-11-20T10:00:00Z", "windowEnd": "2026-11-20T10:01:00Z",
                 "requests": 10, "errors": 1}""".formatted(id));
        sendAndAwait(sent, Topics.ROLLOUT_EVENTS, "dev.twostep.rollout.rollbackdecided.v1", id, """
                {"decisionId": "%1$s", "rolloutId": "%1$s", "featureKey": "hostile", "environment": "hostile",
                 "step": 1, "fromPercent": 5.0, "toPercent": 0.0, "planVersion": 1,
                 "evidence": {"window": {"start": "2026-11-20T11:00:00Z", "end": "2026-11-20T11:05:00Z"},
                  "control": {"requests": 98011, "errors": 980}, "treatment": {"requests": 12034, "errors": 253},
                  "method": "always-valid-mixture-normal-cs", "statistic": 0.0112, "threshold": 0.005,
                  "baseline": "concurrent control (variant off)", "summary": "hostile-input test"}}"""
                .formatted(id));
        return sent;
    }

    private static void sendAndAwait(Map<String, ConsumerRecord<String, byte[]>> sent, String topic, String type,
                                     String id, String data) {
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), EventEnvelope.sourceOf("hostile-input-test"), id,
                1, Instant.now(), id, null, "hostile-input-test", null,
                EventJson.read(type, data.getBytes(StandardCharsets.UTF_8)));
        KafkaProbe.send(CloudEventCodec.toRecord(envelope));
        sent.put(topic, KafkaProbe.readAll(topic).stream()
                .filter(r -> envelope.id().toString().equals(KafkaProbe.header(r, "ce_id"))).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not on " + topic + " after it was acknowledged")));
    }

    private static Response write(Service service, String role, String method, String path, Object body) {
        return given().baseUri(platform.url(service))
                .auth().oauth2(platform.issuer().token("hostile-marker", Duration.ofMinutes(10), List.of(role)))
                .contentType("application/json").body(json(body)).request(method, path);
    }

    private static void assertSuccess(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isBetween(200, 299);
    }

    /** Bodies of the wrong shape for any endpoint. */
    private static List<byte[]> shapes() {
        List<String> texts = List.of("", "{", "}", "not json", "[]", "[{}]", "null", "true", "42", "-1e309",
                "\"a string\"", "{\"a\":}", "{'single':'quotes'}", "{\"unexpectedField\":1}",
                "{\"unexpectedField\":\"" + SQL + "\"}", "{\"unexpectedField\":\"" + SCRIPT + "\"}",
                "{\"unexpectedField\":\"" + CONTROL.replace("\u0000", "\\u0000") + "\"}",
                "{\"unexpectedField\":[" + "1,".repeat(50_000) + "1]}",
                "{\"unexpectedField\":\"" + HUGE + "\"}",
                "[".repeat(10_000) + "]".repeat(10_000),
                "{\"unexpectedField\":\"" + "y".repeat(1_100_000) + "\"}");
        List<byte[]> bodies = new ArrayList<>(texts.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList());
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        bodies.add(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 0, 1});
        return bodies;
    }

    /** Seeded random bytes, none of which is a JSON object. */
    private static List<byte[]> noise(Random random) {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < NOISE_PER_ENDPOINT; i++) {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            bytes[0] = (byte) (bytes[0] == '{' ? '}' : bytes[0]);
            bodies.add(bytes);
        }
        return bodies;
    }

    /** Records no consumer can apply: every one must be dead-lettered with its reason. */
    private static List<ProducerRecord<String, byte[]>> poison(String topic) {
        String id = UUID.randomUUID().toString();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(topic, "hostile", "{not json".getBytes(StandardCharsets.UTF_8)));
        records.add(cloudEvent(topic, id + "-1", "dev.twostep.nothing.happened.v1", "{}"));
        records.add(cloudEvent(topic, id + "-2", "dev.twostep.build.completed.v99", "{}"));
        records.add(cloudEvent(topic, id + "-3", "dev.twostep.build.completed.v1", "{\"buildId\": 12}"));
        records.add(cloudEvent(topic, id + "-4", "dev.twostep.metric.samplerecorded.v1",
                "{\"requests\": -1, \"errors\": 99999999999999999999}"));
        ProducerRecord<String, byte[]> invalidUtf8 = cloudEvent(topic, id + "-5", "dev.twostep.build.completed.v1", "");
        records.add(new ProducerRecord<>(topic, null, invalidUtf8.key(), new byte[] {(byte) 0xC3, (byte) 0x28},
                invalidUtf8.headers()));
        return records;
    }

    private static ProducerRecord<String, byte[]> cloudEvent(String topic, String id, String type, String data) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "hostile", data.getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", id, "ce_source", "/hostile",
                "ce_type", type, "ce_time", "2026-11-22T10:00:00Z", "ce_sequence", "1", "content-type",
                "application/json");
        headers.forEach((name, value) -> record.headers().add(new RecordHeader(name,
                value.getBytes(StandardCharsets.UTF_8))));
        return record;
    }

    private static String token(String persona) {
        return platform.credentials().tokenOf(persona).orElseThrow();
    }

    /** Row counts once they stop moving: earlier tests' events may still be in flight. */
    private static Map<String, Long> settledRowCounts() {
        @SuppressWarnings("unchecked")
        Map<String, Long>[] last = new Map[] {platform.rowCounts()};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Map<String, Long> now = platform.rowCounts();
            boolean settled = now.equals(last[0]);
            last[0] = now;
            return settled;
        });
        return last[0];
    }

    /** Settled row counts and every topic's end offset, in one map. */
    private static Map<String, Long> settledState() {
        Map<String, Long> state = new TreeMap<>();
        settledRowCounts().forEach((table, rows) -> state.put("rows of " + table, rows));
        Topics.ALL.forEach(topic -> state.put("end of " + topic, KafkaProbe.endOffsetSum(topic)));
        return state;
    }

    private static Map<String, Long> difference(Map<String, Long> later, Map<String, Long> earlier) {
        Set<String> keys = new TreeSet<>(later.keySet());
        keys.addAll(earlier.keySet());
        return keys.stream().collect(Collectors.toMap(key -> key,
                key -> later.getOrDefault(key, 0L) - earlier.getOrDefault(key, 0L), (a, b) -> a, TreeMap::new));
    }

    private static byte[] json(Object value) {
        try {
            return EventJson.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            return EventJson.mapper().missingNode();
        }
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 160 ? text.substring(0, 160) + "... (" + body.length + " bytes)" : text;
    }
}
