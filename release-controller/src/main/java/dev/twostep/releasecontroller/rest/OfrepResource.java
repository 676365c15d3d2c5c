package dev.twostep.releasecontroller.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.releasecontroller.apikey.ApiKeys;
import dev.twostep.releasecontroller.evaluation.Evaluation;
import dev.twostep.releasecontroller.evaluation.Flag;
import dev.twostep.releasecontroller.evaluation.FlagEvaluator;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The OpenFeature Remote Evaluation Protocol, so any OpenFeature SDK can use Twostep unchanged.
 * The context carries {@code targetingKey} and {@code environment}. Everything is answered from the
 * in-memory {@link FlagSnapshot}, on the I/O thread since nothing here blocks: the database is never
 * read. Errors use OFREP's own body {@code {key, errorCode, errorDetails}}, not problem+json,
 * because that is what providers parse.
 *
 * <p>Applications authenticate with an API key scoped to environments ({@code Authorization: Bearer <key>} or
 * {@code X-API-Key}, both of which OFREP allows), not with a person's token: 401 without a live key, 403 for an
 * environment outside its scope. A key for one environment needs no {@code environment} in the context.
 */
@Path("/ofrep/v1/evaluate/flags")
@PermitAll
@NonBlocking
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class OfrepResource {

    private static final String CONTEXT_EXAMPLE =
            "{\"context\": {\"targetingKey\": \"user-17\", \"environment\": \"prod\"}}";


    private final FlagSnapshot snapshot;
    private final ObjectMapper json;
    private final ApiKeys keys;

    OfrepResource(FlagSnapshot snapshot, ObjectMapper json, ApiKeys keys) {
        this.snapshot = snapshot;
        this.json = json;
        this.keys = keys;
    }

    /** The context a request carries, or why it cannot be used; {@code status} is 200 when it can. */
    private record Context(String environment, String targetingKey, JsonNode attributes, int status,
                           String errorCode, String errorDetails) {

        boolean failed() {
            return errorCode != null;
        }
    }

    public record BulkResult(List<Evaluation> flags) {
    }

    public record BulkFailure(String errorCode, String errorDetails) {
    }

    @POST
    @Path("/{key}")
    @Operation(summary = "OFREP single flag evaluation")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
            example = CONTEXT_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "the flag's value (boolean for an audience; the variant's "
            + "boolean, string, number or object for a definition), variant, reason and metadata",
            content = @Content(schema = @Schema(implementation = Evaluation.Success.class)))
    @APIResponse(responseCode = "400", description = "PARSE_ERROR, INVALID_CONTEXT or TARGETING_KEY_MISSING",
            content = @Content(schema = @Schema(implementation = Evaluation.Failure.class)))
    @APIResponse(responseCode = "404", description = "FLAG_NOT_FOUND",
            content = @Content(schema = @Schema(implementation = Evaluation.Failure.class)))
    @APIResponse(responseCode = "401", description = "no live API key")
    @APIResponse(responseCode = "403", description = "the API key may not evaluate in this environment")
    public Response evaluate(@PathParam("key") String key, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @HeaderParam(ApiKeyScope.HEADER) String apiKey, byte[] body) {
        Context context = contextOf(authorization, apiKey, body);
        if (context.failed()) {
            return Response.status(context.status())
                    .entity(new Evaluation.Failure(key, context.errorCode(), context.errorDetails())).build();
        }
        Optional<Flag> flag = snapshot.flag(key);
        if (flag.isEmpty()) {
            return Response.status(404).entity(new Evaluation.Failure(key, "FLAG_NOT_FOUND", "no feature " + key))
                    .build();
        }
        Evaluation evaluation = FlagEvaluator.evaluate(flag.get(), context.environment(), context.targetingKey(),
                context.attributes());
        return Response.status(evaluation instanceof Evaluation.Failure ? 400 : 200).entity(evaluation).build();
    }

    /**
     * Every flag for one context. The ETag is a hash of the answer itself, so a client polling with
     * If-None-Match gets 304 until something that changes its answer changes.
     */
    @POST
    @Operation(summary = "OFREP bulk evaluation: every flag for one context")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
            example = CONTEXT_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "every flag; an entry may be an error such as "
            + "TARGETING_KEY_MISSING", content = @Content(schema = @Schema(implementation = BulkResult.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match matches: this context's answer is unchanged")
    @APIResponse(responseCode = "400", description = "PARSE_ERROR or INVALID_CONTEXT",
            content = @Content(schema = @Schema(implementation = BulkFailure.class)))
    @APIResponse(responseCode = "401", description = "no live API key")
    @APIResponse(responseCode = "403", description = "the API key may not evaluate in this environment")
    public Response evaluateAll(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @HeaderParam(ApiKeyScope.HEADER) String apiKey, byte[] body)
            throws JsonProcessingException {
        Context context = contextOf(authorization, apiKey, body);
        if (context.failed()) {
            return Response.status(context.status())
                    .entity(new BulkFailure(context.errorCode(), context.errorDetails())).build();
        }
        List<Evaluation> flags = snapshot.all().stream()
                .map(flag -> FlagEvaluator.evaluate(flag, context.environment(), context.targetingKey(),
                        context.attributes())).toList();
        byte[] answer = json.writeValueAsBytes(new BulkResult(flags));
        String etag = ETags.of(answer);
        if (ETags.matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        return Response.ok(answer, MediaType.APPLICATION_JSON).header(HttpHeaders.ETAG, etag).build();
    }

    /** The evaluation context, once the API key is checked and the environment is known to be within its scope. */
    private Context contextOf(String authorization, String apiKey, byte[] body) {
        ApiKeyScope scope = ApiKeyScope.of(keys, authorization, apiKey);
        if (scope.refused()) {
            return refusal(401, scope.refusal());
        }
        Context context = contextOf(body, scope.onlyEnvironment());
        if (!context.failed() && !scope.environments().contains(context.environment())) {
            return refusal(403, "this API key may evaluate only in " + new TreeSet<>(scope.environments())
                    + ", not in " + context.environment());
        }
        return context;
    }

    private static Context refusal(int status, String details) {
        return new Context(null, null, null, status, "GENERAL", details);
    }

    private Context contextOf(byte[] body, String defaultEnvironment) {
        JsonNode request;
        try {
            request = body == null || body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            return failure("PARSE_ERROR", "the request body is not valid JSON");
        }
        if (request == null || !request.isObject()) {
            return failure("PARSE_ERROR", "the request body must be a JSON object");
        }
        JsonNode context = request.path("context");
        if (!context.isMissingNode() && !context.isObject()) {
            return failure("INVALID_CONTEXT", "context must be an object");
        }
        JsonNode environment = context.path("environment");
        if (environment.isMissingNode() && defaultEnvironment != null) {
            environment = json.getNodeFactory().textNode(defaultEnvironment);
        }
        if (!environment.isTextual() || environment.asText().isBlank()) {
            return failure("INVALID_CONTEXT", "context.environment is required, for example \"prod\"");
        }
        JsonNode targetingKey = context.path("targetingKey");
        if (!targetingKey.isMissingNode() && !targetingKey.isNull() && !targetingKey.isTextual()) {
            return failure("INVALID_CONTEXT", "context.targetingKey must be a string");
        }
        return new Context(environment.asText(), targetingKey.isTextual() ? targetingKey.asText() : null, context,
                200, null, null);
    }

    private static Context failure(String errorCode, String errorDetails) {
        return new Context(null, null, null, 400, errorCode, errorDetails);
    }
}
