package dev.twostep.releasecontroller.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.apikey.ApiKeys;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.evaluation.FlagdDocument;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.TreeSet;

/**
 * A flagd sync source: one environment's flags as one flagd flag-definition document, so that flagd or an
 * OpenFeature provider in in-process mode evaluates them next to the application, with no network hop per
 * evaluation, and agrees with OFREP. Served from the in-memory snapshot, with the API keys of OFREP (scoped to
 * environments) and an ETag that is a hash of the document, for cheap polling.
 */
@Path("/flagd/v1/flags.json")
@PermitAll
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class FlagdResource {

    private final FlagSnapshot snapshot;
    private final ObjectMapper json;
    private final ApiKeys keys;

    FlagdResource(FlagSnapshot snapshot, ObjectMapper json, ApiKeys keys) {
        this.snapshot = snapshot;
        this.json = json;
        this.keys = keys;
    }

    @GET
    @Operation(summary = "The environment's flags as one flagd flag-definition document")
    @APIResponse(responseCode = "200", description = "the document, with an ETag")
    @APIResponse(responseCode = "304", description = "If-None-Match matches: unchanged")
    @APIResponse(responseCode = "400", description = "no environment named and the key is for several")
    @APIResponse(responseCode = "401", description = "no live API key")
    @APIResponse(responseCode = "403", description = "the API key may not read this environment")
    public Response flags(@QueryParam("environment") String environment,
                          @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @HeaderParam(ApiKeyScope.HEADER) String apiKey) throws JsonProcessingException {
        ApiKeyScope scope = ApiKeyScope.of(keys, authorization, apiKey);
        if (scope.refused()) {
            throw new ProblemException(401, "Unauthorized", scope.refusal(), List.of());
        }
        String wanted = environment != null ? environment : scope.onlyEnvironment();
        if (wanted == null) {
            throw ProblemException.invalid("environment", "required: this API key may read "
                    + new TreeSet<>(scope.environments()));
        }
        if (!scope.environments().contains(wanted)) {
            throw ProblemException.forbidden("this API key may read only "
                    + new TreeSet<>(scope.environments()) + ", not " + wanted);
        }
        byte[] document = json.writeValueAsBytes(FlagdDocument.of(wanted, snapshot.all()));
        String etag = ETags.of(document);
        if (ETags.matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        return Response.ok(document, MediaType.APPLICATION_JSON).header(HttpHeaders.ETAG, etag).build();
    }
}
