package dev.twostep.releasecontroller.rest;

import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.releasecontroller.apikey.ApiKeys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Set;

/** Keys for flag evaluation over OFREP, each limited to named environments. The secret is shown once, at issue. */
@Path("/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RELEASE_MANAGER)
public class ApiKeyResource {

    private final ApiKeys keys;
    private final Caller caller;

    ApiKeyResource(ApiKeys keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    public record IssueRequest(@NotBlank @Size(max = 200) String name,
                               @NotNull @Size(min = 1, max = 50) Set<@NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}",
                                       message = "must be an environment name: lower-case letters, digits and -")
                                       String> environments) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(@NotNull(message = "a key request is required") @Valid IssueRequest request) {
        return Response.status(Response.Status.CREATED)
                .entity(keys.issue(request.name().strip(), request.environments(), caller.name())).build();
    }

    @GET
    public List<ApiKeys.ApiKeyView> list() {
        return keys.list();
    }

    /** Revoked keys stop working on every replica within the refresh interval (5 s by default). */
    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.SRE})
    public ApiKeys.ApiKeyView revoke(@PathParam("id") String id) {
        return keys.revoke(id, caller.name());
    }
}
