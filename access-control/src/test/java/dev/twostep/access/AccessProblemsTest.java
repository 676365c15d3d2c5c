package dev.twostep.access;

import dev.twostep.problems.Problem;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 401 and 403 as problem+json that say what is needed, and the caller that events name as their actor. */
class AccessProblemsTest {

    @RolesAllowed(Roles.SRE)
    static final class Environments {
        @RolesAllowed({Roles.SRE, Roles.DEPLOYER})
        @SuppressWarnings("unused")
        public void rollback(String environment, String application) {
        }

        @SuppressWarnings("unused")
        public void define(String environment) {
        }
    }

    private final AccessProblems problems = new AccessProblems();

    @Test
    void aMissingTokenIsA401ThatAsksForABearerToken() {
        Response response = problems.unauthenticated(new UnauthorizedException(), null);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"twostep\"");
        assertThat(problemOf(response).violations()).containsExactly(new Problem.Violation("Authorization",
                "must carry a valid, unexpired bearer token from a trusted issuer"));
    }

    @Test
    void aMissingRoleIsA403NamingTheRolesOfTheMethodSorted() {
        Response response = problems.forbidden(new ForbiddenException(), null,
                resource(Environments.class, "rollback", String.class, String.class));

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(problemOf(response).violations()).containsExactly(new Problem.Violation("Authorization",
                "needs one of the roles [deployer, sre]"));
    }

    @Test
    void aMethodWithoutItsOwnRolesNamesTheRolesOfItsClass() {
        Response response = problems.forbidden(new ForbiddenException(), null,
                resource(Environments.class, "define", String.class));

        assertThat(problemOf(response).detail()).isEqualTo("Authorization: needs one of the roles [sre]");
    }

    @Test
    void theCallerIsTheTokensSubjectAndThereIsNoCallerWithoutOne() {
        Caller caller = new Caller();
        caller.identity = identityOf(token(Map.of("sub", "alice")));
        assertThat(caller.name()).isEqualTo("alice");

        caller.identity = identityOf(token(Map.of("sub", " ")));
        assertThatThrownBy(caller::name).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RolesAllowed");
    }

    @Test
    void aKeycloakTokenNamesThePersonNotTheirUserId() throws Exception {
        // SmallRye's own principal, as the services verify it: upn, else preferred_username, else sub.
        Caller caller = new Caller();
        caller.identity = identityOf(new DefaultJWTCallerPrincipal("raw", "JWT", JwtClaims.parse(
                "{\"sub\": \"5b1e0c52-8f0e-4bd4-9a47-2f0d8d3c1a77\", \"preferred_username\": \"alice\"}")));
        assertThat(caller.name()).isEqualTo("alice");

        caller.identity = identityOf(new DefaultJWTCallerPrincipal("raw", "JWT", JwtClaims.parse(
                "{\"sub\": \"bob\", \"upn\": \"bob\"}")));
        assertThat(caller.name()).as("a local persona's token").isEqualTo("bob");
    }

    private static Problem problemOf(Response response) {
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        return (Problem) response.getEntity();
    }

    private static SimpleResourceInfo resource(Class<?> type, String method, Class<?>... parameters) {
        return new SimpleResourceInfo() {
            @Override
            public Class<?> getResourceClass() {
                return type;
            }

            @Override
            public String getMethodName() {
                return method;
            }

            @Override
            public Class<?>[] parameterTypes() {
                return parameters;
            }
        };
    }

    private static SecurityIdentity identityOf(JsonWebToken token) {
        return QuarkusSecurityIdentity.builder().setPrincipal(token).build();
    }

    private static JsonWebToken token(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return (String) claims.get("sub");
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }
}
