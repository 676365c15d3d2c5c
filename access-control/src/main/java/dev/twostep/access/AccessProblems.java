package dev.twostep.access;

import dev.twostep.problems.Problem;
import dev.twostep.problems.ProblemException;
import dev.twostep.problems.ProblemMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.util.Arrays;
import java.util.List;

/** A missing or bad token is a 401 and a role the token lacks is a 403, both as problem+json that say what is needed. */
public class AccessProblems {

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(Exception e, UriInfo uri) {
        String rule = "must carry a valid, unexpired bearer token from a trusted issuer";
        ProblemException refusal = new ProblemException(401, "Unauthorized", "Authorization: " + rule,
                List.of(new Problem.Violation("Authorization", rule)));
        return Response.fromResponse(ProblemMappers.answer(refusal, uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"twostep\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, SimpleResourceInfo resource) {
        String rule = "needs one of the roles " + rolesAllowed(resource);
        return ProblemMappers.answer(new ProblemException(403, "Forbidden", "Authorization: " + rule,
                List.of(new Problem.Violation("Authorization", rule))), uri);
    }

    private static List<String> rolesAllowed(SimpleResourceInfo resource) {
        try {
            RolesAllowed onMethod = resource.getResourceClass()
                    .getMethod(resource.getMethodName(), resource.parameterTypes()).getAnnotation(RolesAllowed.class);
            RolesAllowed allowed = onMethod != null ? onMethod
                    : resource.getResourceClass().getAnnotation(RolesAllowed.class);
            return allowed == null ? List.of() : Arrays.stream(allowed.value()).sorted().toList();
        } catch (NoSuchMethodException e) {
            return List.of();
        }
    }
}
