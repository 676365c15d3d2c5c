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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.util.List;

/**
 * How people sign in: as a local persona (see {@link LocalSignIn}; 404 while that is off, as if it did not exist), or
 * at the OpenID Connect provider through the authorization-code flow ({@code quarkus.oidc.*}; {@code /sign-in/provider}
 * is 404 while that is off). The provider's flow itself is Quarkus OIDC's: an HTTP permission makes
 * {@code /sign-in/provider} need a session, so a visit without one is redirected to the provider's login and comes
 * back here with a session cookie; and a visit to {@code /sign-in/provider/out} ends both sessions.
 */
@Path("/sign-in")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class SignInResource {

    /** The cookie the console's token verification reads (mp.jwt.token.cookie). */
    public static final String SESSION_COOKIE = "twostep_session";

    /** Where a browser goes to end the provider's session too (quarkus.oidc.logout.path). */
    private static final String PROVIDER_SIGN_OUT = "/sign-in/provider/out";

    private final LocalSignIn localSignIn;
    private final boolean providerSignIn;

    SignInResource(LocalSignIn localSignIn,
                   @ConfigProperty(name = "quarkus.oidc.tenant-enabled") boolean providerSignIn) {
        this.localSignIn = localSignIn;
        this.providerSignIn = providerSignIn;
    }

    public record PersonaChoice(@NotBlank @Size(max = 100) String persona) {
    }

    /** The ways to sign in that this console offers; with neither, only bearer tokens (API clients) get in. */
    public record Ways(boolean localPersonas, boolean provider) {
    }

    /** Where the browser goes once signed out. */
    public record SignedOut(String next) {
    }

    @GET
    @Operation(summary = "How one signs in here: as a local persona, at the OpenID Connect provider, or neither")
    public Ways ways() {
        return new Ways(localSignIn.enabled(), providerSignIn);
    }

    @GET
    @Path("/provider")
    @Operation(summary = "Sign in at the OpenID Connect provider (authorization-code flow), then open the console")
    public Response provider() {
        if (!providerSignIn) {
            throw ProblemException.notFound("the sign-in at an OpenID Connect provider is off"
                    + " (QUARKUS_OIDC_TENANT_ENABLED)");
        }
        return Response.seeOther(URI.create("/index.html")).build();
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
    @Operation(summary = "Sign out: the local session cookie is cleared; the answer says where the browser goes next"
            + " (with the provider's sign-in, to the page that ends that session too)")
    public Response signOut() {
        return Response.ok(new SignedOut(providerSignIn ? PROVIDER_SIGN_OUT : "/sign-in.html"))
                .cookie(session("", 0)).build();
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
