package dev.twostep.testing;

import dev.twostep.access.Roles;
import dev.twostep.tokens.LocalIssuer;
import io.restassured.RestAssured;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Real signed bearer tokens for the tests. The services under test verify them with the issuer's public key, exactly
 * as in production; the keys live under the module's {@code target/}, so every test JVM of a build shares them.
 */
public final class TestTokens {

    /** The subject of the default test token, which holds every role. */
    public static final String OPERATOR = "test-operator";

    private static final LocalIssuer ISSUER = LocalIssuer.in(Path.of("target", "test-issuer"));

    private TestTokens() {
    }

    /** What the services under test verify tokens with ({@code mp.jwt.verify.publickey.location}). */
    public static String publicKeyLocation() {
        return ISSUER.publicKeyFile().toString();
    }

    /** A token for {@code subject} with exactly {@code roles}. */
    public static String of(String subject, String... roles) {
        return ISSUER.token(subject, Duration.ofHours(1), List.of(roles));
    }

    /**
     * From now on, every RestAssured request of this JVM acts as {@link #OPERATOR} unless it says otherwise with
     * {@code given().auth().oauth2(TestTokens.of(...))} or {@code given().auth().none()}.
     */
    public static void actAsOperator() {
        RestAssured.authentication = RestAssured.oauth2(of(OPERATOR, Roles.ALL.toArray(String[]::new)));
    }
}
