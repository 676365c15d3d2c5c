package dev.twostep.releasecontroller.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.service.ReleaseService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * An environment's segments: named JsonLogic conditions, defined once, that flag definitions there reference with
 * {@code {"$ref": "name"}} (flagd's {@code $evaluators}).
 */
@Path("/environments/{env}/segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class SegmentResource {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_-]{0,62}";

    private final ReleaseService releases;
    private final Caller caller;
    private final ObjectMapper json;

    SegmentResource(ReleaseService releases, Caller caller, ObjectMapper json) {
        this.releases = releases;
        this.caller = caller;
        this.json = json;
    }

    /** Every segment of the environment, as flagd's {@code $evaluators} object. */
    @GET
    public Map<String, JsonNode> segments(@PathParam("env") String env) {
        return releases.segmentsIn(Names.environment(env));
    }

    /**
     * The body is the segment's JsonLogic condition. 400 names the JSON Pointer and the rule. Definitions that
     * reference the segment are written again with the new rule.
     */
    @PUT
    @Path("/{name}")
    @RolesAllowed(Roles.RELEASE_MANAGER)
    public Map<String, JsonNode> define(@PathParam("env") String env, @PathParam("name") String name,
                                        @QueryParam("reason") String reason, byte[] body) {
        String environment = Names.environment(env);
        if (name == null || !name.matches(NAME)) {
            throw ProblemException.invalid("name", "1 to 63 letters, digits, _ and -, starting with a letter or digit");
        }
        releases.defineSegment(environment, name, Definitions.read(json, body),
                reason == null || reason.isBlank() ? "segment defined" : reason, caller.name());
        return releases.segmentsIn(environment);
    }
}
