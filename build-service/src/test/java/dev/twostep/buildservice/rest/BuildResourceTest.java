package dev.twostep.buildservice.rest;

import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.RelayDrain;
import dev.twostep.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class BuildResourceTest {

    @Inject
    AgroalDataSource dataSource;

    static String build(String buildId, String commit, String digest) {
        return """
                {"buildId":"%s","ciSystem":"github-actions","runUrl":"https://ci.example.com/runs/1",
                 "repository":"https://git.example.com/shop/checkout","commit":"%s","branch":"main",
                 "outcome":"SUCCEEDED","startedAt":"2026-11-20T10:00:00Z","finishedAt":"2026-11-20T10:07:30Z",
                 "artefacts":[{"name":"checkout","version":"1.4.0","digest":"%s",
                   "uri":"pkg:oci/checkout?repository_url=registry.example.com/shop",
                   "features":["new-payment-form","one-click-reorder"]}]}""".formatted(buildId, commit, digest);
    }

    static final String DIGEST = "sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void aNewBuildIsCreatedAndPublishedOnceAndAnExactRepeatIsAcceptedWithoutANewEvent() {
        String buildId = "gh-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(build(buildId, "3f2a9c1d", DIGEST))
                .when().post("/builds")
                .then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("buildId", equalTo(buildId))
                .body("artefacts[0].features", hasItem("one-click-reorder"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(published(buildId)).hasSize(1));
        ConsumerRecord<String, byte[]> record = published(buildId).getFirst();
        assertThat(KafkaProbe.header(record, "ce_type")).isEqualTo("dev.twostep.build.completed.v1");
        assertThat(KafkaProbe.header(record, "ce_source")).isEqualTo("/twostep/build-service");
        assertThat(KafkaProbe.header(record, "ce_correlationid")).isNotBlank();

        given().contentType(ContentType.JSON).body(build(buildId, "3f2a9c1d", DIGEST))
                .when().post("/builds")
                .then().statusCode(200).body("buildId", equalTo(buildId));
        given().when().get("/builds/" + buildId).then().statusCode(200).body("commit", equalTo("3f2a9c1d"));
        given().queryParam("commit", "3F2A9C1D").when().get("/builds")
                .then().statusCode(200).body("buildId", hasItem(buildId));
        assertThat(eventsInStore(buildId)).isEqualTo(1);
        assertThat(published(buildId)).hasSize(1);
    }

    @Test
    void theSameBuildIdWithOtherContentIsAConflictAndChangesNothing() {
        String buildId = "gh-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(build(buildId, "3f2a9c1d", DIGEST)).post("/builds")
                .then().statusCode(201);

        given().contentType(ContentType.JSON).body(build(buildId, "4e4e4e4e", DIGEST))
                .when().post("/builds")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));
        given().when().get("/builds/" + buildId).then().body("commit", equalTo("3f2a9c1d"));
        assertThat(eventsInStore(buildId)).isEqualTo(1);
    }

    static Stream<Arguments> badBuilds() {
        String good = build("bad-ID", "3f2a9c1d", DIGEST);
        return Stream.of(
                Arguments.of("malformed JSON", "{\"buildId\":", "body"),
                Arguments.of("not an object", "[1,2]", "body"),
                Arguments.of("missing commit", good.replace("\"commit\":\"3f2a9c1d\",", ""), "commit"),
                Arguments.of("commit too short", good.replace("3f2a9c1d", "3f2a"), "commit"),
                Arguments.of("commit not hex", good.replace("3f2a9c1d", "zzzzzzzz"), "commit"),
                Arguments.of("digest without algorithm", good.replace("sha256:", ""), "artefacts[0].digest"),
                Arguments.of("digest too short", good.replace(DIGEST, "sha256:abc"), "artefacts[0].digest"),
                Arguments.of("version with whitespace", good.replace("1.4.0", "1.4 .0"), "artefacts[0].version"),
                Arguments.of("empty version", good.replace("\"1.4.0\"", "\"\""), "artefacts[0].version"),
                Arguments.of("finished before started", good.replace("2026-11-20T10:07:30Z", "2026-11-20T09:00:00Z"),
                        "finishedAt"),
                Arguments.of("failed build with artefacts", good.replace("SUCCEEDED", "FAILED"), "artefacts"),
                Arguments.of("succeeded build without artefacts",
                        good.replaceAll("(?s)\"artefacts\":\\[.*]}", "\"artefacts\":[]}"), "artefacts"),
                Arguments.of("unknown outcome", good.replace("SUCCEEDED", "MAYBE"), "outcome"),
                Arguments.of("number for a string", good.replace("\"github-actions\"", "42"), "ciSystem"),
                Arguments.of("date out of range", good.replace("2026-11-20T10:00:00Z", "2026-13-45T99:00:00Z"),
                        "startedAt"),
                Arguments.of("extra field", good.replace("{\"buildId\"", "{\"admin\":true,\"buildId\""), "admin"),
                Arguments.of("null build id", good.replace("\"bad-ID\"", "null"), "buildId"),
                Arguments.of("script in the run URL", good.replace("https://ci.example.com/runs/1",
                        "javascript:alert(1)"), "runUrl"),
                Arguments.of("control characters in the build id", good.replace("bad-ID", "bad\\u0000id"),
                        "buildId"),
                Arguments.of("a NUL in free text", good.replace("\"main\"", "\"ma\\u0000in\""), "branch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBuilds")
    void badInputIsA400ThatNamesTheFieldAndWritesNothing(String description, String body, String field)
            throws SQLException {
        long eventsBefore = count("SELECT count(*) FROM event_store");
        RelayDrain.awaitPublished(dataSource);
        long endOffsetsBefore = KafkaProbe.endOffsetSum(Topics.BUILD_EVENTS);

        given().contentType(ContentType.JSON).body(body)
                .when().post("/builds")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(field));

        assertThat(count("SELECT count(*) FROM event_store")).isEqualTo(eventsBefore);
        assertThat(count("SELECT count(*) FROM build WHERE build_id LIKE 'bad%'")).isZero();
        RelayDrain.awaitPublished(dataSource);
        assertThat(KafkaProbe.endOffsetSum(Topics.BUILD_EVENTS)).isEqualTo(endOffsetsBefore);
    }

    @Test
    void anOversizeBodyIsRefusedWith413() {
        String huge = build("huge", "3f2a9c1d", DIGEST).replace("\"main\"", "\"" + "x".repeat(2_000_000) + "\"");
        given().contentType(ContentType.JSON).body(huge).when().post("/builds").then().statusCode(413)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("body"))
                .body("violations[0].rule", equalTo("must be at most 1048576 bytes"));
    }

    @Test
    void anOversizeChunkedBodyIsRefusedWith413AsAProblemToo() throws Exception {
        // no Content-Length: the limit is only found while the body streams in
        String huge = build("huge-chunked", "3f2a9c1d", DIGEST).replace("\"main\"", "\"" + "x".repeat(2_000_000) + "\"");

        HttpResponse<String> response = postStreamed(huge, HttpClient.Version.HTTP_1_1);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"body\"", "must be at most 1048576 bytes");
        assertThat(count("SELECT count(*) FROM build WHERE build_id = 'huge-chunked'")).isZero();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void aStreamedBodyWithinTheLimitIsAccepted(HttpClient.Version version) throws Exception {
        // HTTP_2 here is an h2c upgrade of a chunked HTTP/1.1 request, read by the REST layer itself
        String buildId = "streamed-" + version;

        HttpResponse<String> response = postStreamed(build(buildId, "3f2a9c1d", DIGEST), version);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(count("SELECT count(*) FROM build WHERE build_id = '" + buildId + "'")).isOne();
    }

    /** Posts a build as a body of unknown length, read as it arrives: chunked HTTP/1.1, or an h2c upgrade of it. */
    private static HttpResponse<String> postStreamed(String body, HttpClient.Version version) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/builds"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.of("ci-bot", "ci"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        return HttpClient.newBuilder().version(version).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnknownBuildIsA404Problem() {
        given().when().get("/builds/nope").then().statusCode(404).contentType("application/problem+json");
    }

    private static List<ConsumerRecord<String, byte[]>> published(String buildId) {
        return KafkaProbe.readAll(Topics.BUILD_EVENTS).stream().filter(r -> buildId.equals(r.key())).toList();
    }

    private long eventsInStore(String buildId) {
        try (Connection connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT count(*) FROM event_store WHERE aggregate_id = ?")) {
            statement.setString(1, buildId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
