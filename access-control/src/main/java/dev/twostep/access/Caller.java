package dev.twostep.access;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling: the subject of the verified bearer token. It becomes the {@code actor} of every event the call
 * writes, so the log says who did what, and nobody can claim to be someone else in a header or a body field.
 */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken token;

    /** The token's subject; only endpoints that require a role ask, so a token is always there. */
    public String name() {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new IllegalStateException("no authenticated caller: is the endpoint missing @RolesAllowed?");
        }
        return subject;
    }
}
