package dev.twostep.access;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling: the verified token's name as MicroProfile JWT defines it ({@code upn}, else
 * {@code preferred_username}, else {@code sub}). It becomes the {@code actor} of every event the call writes, so the
 * log says who did what, and nobody can claim to be someone else in a header or a body field. The local tokens carry
 * {@code upn}; Keycloak's carry {@code preferred_username} ("alice") and a {@code sub} that is a user id nobody reads.
 *
 * <p>Read from the security identity's principal rather than an injected {@code JsonWebToken}: beside quarkus-oidc
 * (the console's sign-in) the injected token is OIDC's, which is empty for a bearer token SmallRye JWT verified. The
 * principal is the verified token either way (with the console's sign-in, the session's ID token, whose subject is the
 * access token's).
 */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    /** The token's name; only endpoints that require a role ask, so a token is always there. */
    public String name() {
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getName() != null
                && !token.getName().isBlank()) {
            return token.getName();
        }
        throw new IllegalStateException("no authenticated caller: is the endpoint missing @RolesAllowed?");
    }
}
