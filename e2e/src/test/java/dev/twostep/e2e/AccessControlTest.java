package dev.twostep.e2e;

import dev.twostep.tokens.LocalIssuer;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every write endpoint, called without a token, with a forged or expired token, and with a token of each role:
 * 401 unless the token is genuine, 403 for every role not admitted, and past the access check for every role that
 * is: a 4xx about the request itself, since the bodies are deliberately invalid and so change nothing (the two
 * read-model rebuilds take no body and answer 200; a rebuild changes no answer).
 */
@ExtendWith(SharedPlatform.class)
class AccessControlTest {

    private static final List<String> ROLES = List.of("ci", "publisher", "deployer", "approver", "release-manager",
            "sre", "telemetry", "viewer");
    static final List<WriteEndpoint> ENDPOINTS = WriteEndpoint.ALL;

    private static Platform platform;
    private static LocalIssuer issuer;
    private static String forged;

    @BeforeAll
    static void issuers(Platform shared, @TempDir Path elsewhere) {
        platform = shared;
        issuer = shared.issuer();
        forged = LocalIssuer.in(elsewhere).token("mallory", Duration.ofMinutes(5), ROLES);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("ENDPOINTS")
    void onlyTheNamedRolesGetPastTheAccessCheck(WriteEndpoint endpoint) {
        Map<String, Integer> answers = new TreeMap<>();
        answers.put("no token", call(endpoint, given()).statusCode());
        answers.put("forged token", call(endpoint, given().auth().oauth2(forged)).statusCode());
        answers.put("expired token", call(endpoint, given().auth().oauth2(
                issuer.token("late", Duration.ofMinutes(-5), ROLES))).statusCode());
        for (String role : ROLES) {
            answers.put(role, call(endpoint, given().auth().oauth2(
                    issuer.token("someone-" + role, Duration.ofMinutes(5), List.of(role)))).statusCode());
        }

        Map<String, Integer> expected = new TreeMap<>(Map.of("no token", 401, "forged token", 401,
                "expired token", 401));
        for (String role : ROLES) {
            boolean admitted = endpoint.roles().contains(role) || endpoint.roles().contains("viewer");
            expected.put(role, admitted ? answers.get(role) : 403);
            if (admitted) {
                assertThat(answers.get(role)).as("%s as %s", endpoint, role).isBetween(200, 499)
                        .isNotIn(401, 403);
            }
        }
        assertThat(answers).as(endpoint.toString()).isEqualTo(expected);
    }

    /** Each call carries an unknown field, which every JSON endpoint refuses with 400 before doing anything. */
    private static Response call(WriteEndpoint endpoint, RequestSpecification request) {
        return request.baseUri(platform.url(endpoint.service())).contentType("application/json")
                .body("{\"unexpectedField\": true}").request(endpoint.method(), endpoint.path());
    }
}
