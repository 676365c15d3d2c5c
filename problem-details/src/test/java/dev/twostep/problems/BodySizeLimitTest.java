package dev.twostep.problems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 413 as problem+json on a real Vert.x HTTP server: a body whose declared length is over the limit is refused
 * unread, a chunked body is refused once it grows past the limit, and every body within the limit reaches the next
 * handler whole.
 */
class BodySizeLimitTest {

    private static final int LIMIT = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new BodySizeLimit().install(router, JSON, () -> Optional.of(new MemorySize(BigInteger.valueOf(LIMIT))));
        router.route("/echo").handler(BodySizeLimitTest::answerWithTheBodyLength);
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The REST layer's stand-in: reads the body itself unless the limit's body handler has read it already. */
    private static void answerWithTheBodyLength(RoutingContext context) {
        if (context.body().available()) {
            context.response().end("read " + context.body().length());
        } else {
            context.request().body().onSuccess(body -> context.response().end("read " + body.length()));
        }
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedAsProblemJsonAndTheConnectionClosed() throws Exception {
        HttpResponse<String> response = send(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1]));

        assertRefused(response);
        assertThat(response.headers().firstValue("connection")).contains("close");
    }

    @Test
    void aChunkedBodyIsRefusedOnceItGrowsPastTheLimit() throws Exception {
        HttpResponse<String> response = send(chunked(new byte[LIMIT * 4]));

        assertRefused(response);
    }

    @Test
    void bodiesWithinTheLimitReachTheNextHandlerWhole() throws Exception {
        HttpResponse<String> declared = send(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT]));
        HttpResponse<String> streamed = send(chunked(new byte[LIMIT - 24]));

        assertThat(declared.statusCode()).isEqualTo(200);
        assertThat(declared.body()).isEqualTo("read " + LIMIT);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).isEqualTo("read " + (LIMIT - 24));
    }

    @Test
    void withoutAConfiguredLimitNothingIsInstalled() {
        Router router = Router.router(vertx);

        new BodySizeLimit().install(router, JSON, Optional::empty);

        assertThat(router.getRoutes()).isEmpty();
    }

    private static void assertRefused(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("content-type")).contains(Problem.MEDIA_TYPE);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("detail").asText()).isEqualTo("body: must be at most " + LIMIT + " bytes");
        assertThat(problem.path("violations").path(0).path("field").asText()).isEqualTo("body");
    }

    /** A publisher of unknown length, which the JDK client sends with Transfer-Encoding: chunked. */
    private static HttpRequest.BodyPublisher chunked(byte[] body) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private static HttpResponse<String> send(HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/echo"))
                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json").POST(body).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
