package dev.twostep.console.web;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The signed-in person's own bearer token, which the console passes on to the services so that every event they
 * write names that person. Signed in at the OpenID Connect provider, it is the session's access token (the principal
 * is then the ID token, which is meant for the console, not for the services); otherwise it is the token that was
 * verified, from the bearer header or the local sign-in's cookie.
 */
@RequestScoped
public class CallerToken {

    private final SecurityIdentity identity;

    CallerToken(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String raw() {
        AccessTokenCredential session = identity.getCredential(AccessTokenCredential.class);
        if (session != null) {
            return session.getToken();
        }
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getRawToken() != null) {
            return token.getRawToken();
        }
        throw new IllegalStateException("no verified token for " + identity.getPrincipal().getName());
    }
}
