package dev.twostep.console.web;

import dev.twostep.problems.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * The local sign-in (see {@link LocalSignIn}) and signing out. Everything here is 404 while the local sign-in is off,
 * as if it did not exist.
 */
@Path("/sign-in")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class SignInResource {

    /** The cookie the console's token verification reads (mp.jwt.token.cookie). */
    public static final String SESSION_COOKIE = "twostep_session";

    private final LocalSignIn localSignIn;

    SignInResource(LocalSignIn localSignIn) {
        this.localSignIn = localSignIn;
    }

    public record PersonaChoice(@NotBlank @Size(max = 100) String persona) {
    }

    @GET
    @Path("/personas")
    @Operation(summary = "The local personas one may sign in as (local platform only; 404 otherwise)")
    public List<LocalSignIn.Persona> personas() {
        requireEnabled();
        return localSignIn.personas();
    }

    @POST
    @Path("/local")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in as a local persona: the session cookie carries its token (local platform only)")
    public Response signIn(@NotNull(message = "a persona is required") @Valid PersonaChoice choice) {
        requireEnabled();
        String token = localSignIn.tokenOf(choice.persona())
                .orElseThrow(() -> ProblemException.invalid("persona", "not one of the local personas"));
        return Response.noContent().cookie(session(token, -1)).build();
    }

    @POST
    @Path("/out")
    @Operation(summary = "Sign out: the session cookie is cleared")
    public Response signOut() {
        return Response.noContent().cookie(session("", 0)).build();
    }

    private void requireEnabled() {
        if (!localSignIn.enabled()) {
            throw ProblemException.notFound("the local sign-in is off (TWOSTEP_CONSOLE_LOCAL_SIGN_IN)");
        }
    }

    /** HttpOnly (no script reads it) and SameSite=Strict (no other site's page sends it along with an action). */
    private static NewCookie session(String token, int maxAge) {
        return new NewCookie.Builder(SESSION_COOKIE).value(token).path("/").httpOnly(true).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
