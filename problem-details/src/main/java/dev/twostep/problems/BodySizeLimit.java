package dev.twostep.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Optional;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size} is refused with 413 as problem+json, like every
 * other refusal, instead of the HTTP layer's bare 413. A body that declares its length is refused before a byte
 * of it is read. A chunked HTTP/1.1 body declares nothing, so it is read here, up to the limit, by Vert.x's body
 * handler, which fails the request with 413 the moment it grows past; the failure handler turns that into the
 * problem. A body streamed over HTTP/2 without a length still meets Quarkus's own limit and its bare 413.
 * Both run just before Quarkus's own limit.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Quarkus enforces the limit at order -2 ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT}); this goes first. */
    private static final int BEFORE_THE_UPLOAD_LIMIT = -3;

    void install(@Observes Router router, ObjectMapper json, HttpLimitsConfig limits) {
        Optional<MemorySize> limit = limits.maxBodySize();
        if (limit.isEmpty()) {
            return;
        }
        long maximum = limit.get().asLongValue();
        byte[] refusal = refusal(json, maximum);
        BodyHandler streamedBodies = BodyHandler.create(false).setBodyLimit(maximum);
        router.route().order(BEFORE_THE_UPLOAD_LIMIT).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && isOver(declared, maximum)) {
                refuse(context, refusal);
            } else if (declared == null && isChunkedHttp1(context.request())) {
                streamedBodies.handle(context);
            } else {
                context.next();
            }
        }).failureHandler(context -> {
            if (context.statusCode() == 413 && !context.response().headWritten()) {
                refuse(context, refusal);
            } else {
                context.next();
            }
        });
    }

    private static void refuse(RoutingContext context, byte[] refusal) {
        HttpServerResponse response = context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (context.request().version() != HttpVersion.HTTP_2) {
            // the unread rest of the body would otherwise be taken for the next request; HTTP/2 forbids the header
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Buffer.buffer(refusal));
    }

    /**
     * A chunked HTTP/1.1 body that is not an upgrade to HTTP/2. Only there may the body be read ahead of the REST
     * layer: after an h2c upgrade the REST layer reads the request itself and fails on a body already read.
     */
    private static boolean isChunkedHttp1(HttpServerRequest request) {
        return request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                && !request.headers().contains(HttpHeaders.UPGRADE);
    }

    private static boolean isOver(String declared, long maximum) {
        try {
            return Long.parseLong(declared.strip()) > maximum;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed Content-Length itself
        }
    }

    private static byte[] refusal(ObjectMapper json, long maximum) {
        String rule = "must be at most " + maximum + " bytes";
        try {
            return json.writeValueAsBytes(new Problem("https://twostep.dev/problems/413", "Content too large", 413,
                    "body: " + rule, null, List.of(new Problem.Violation("body", rule))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the 413 problem", e);
        }
    }
}
