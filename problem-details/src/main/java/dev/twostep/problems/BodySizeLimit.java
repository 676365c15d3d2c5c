package dev.twostep.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size} is refused with 413 as problem+json, like every
 * other refusal, instead of the HTTP layer's bare 413. A body that declares its length is refused before a byte
 * of it is read. A streamed body (chunked, or HTTP/2 without a length) declares nothing, so it is read here, up
 * to the limit, by Vert.x's body handler, which fails the request with 413 the moment it grows past; the failure
 * handler turns that into the problem.
 * Both run just before Quarkus's own limit.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Quarkus enforces the limit at order -2 ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT}); this goes first. */
    private static final int BEFORE_THE_UPLOAD_LIMIT = -3;

    void install(@Observes Router router, ObjectMapper json,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
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
            } else if (declared == null && carriesABody(context.request().method())) {
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
        context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(Buffer.buffer(refusal));
    }

    /** The methods the services take a body with; a body of unknown length on them is read here. */
    private static boolean carriesABody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
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
