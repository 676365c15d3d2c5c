package dev.twostep.access;

import dev.twostep.tokens.LocalIssuer;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * From a bearer token to the roles a request holds, with the settings this module ships: the groups claim becomes the
 * roles, a token of another issuer or key is refused, and every Twostep role may also read.
 */
class RoleResolutionTest {

    @TempDir
    static Path keys;

    private static LocalIssuer issuer;
    private static JWTAuthContextInfo shipped;

    @BeforeAll
    static void trustTheLocalIssuerWithTheShippedSettings() throws IOException {
        issuer = LocalIssuer.in(keys.resolve("trusted"));
        Properties settings = new Properties();
        try (InputStream in = RoleResolutionTest.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            settings.load(in);
        }
        shipped = new JWTAuthContextInfo(issuer.publicKeyFile().toUri().toString(),
                settings.getProperty("mp.jwt.verify.issuer"));
        shipped.setGroupsPath(settings.getProperty("smallrye.jwt.path.groups"));
    }

    @Test
    void theGroupsClaimBecomesTheRolesAndAnyTwostepRoleMayAlsoRead() throws ParseException {
        SecurityIdentity bob = resolve(issuer.token("bob", Duration.ofMinutes(5), List.of("deployer", "approver")));

        assertThat(bob.getPrincipal().getName()).isEqualTo("bob");
        assertThat(bob.getRoles()).containsExactlyInAnyOrder("deployer", "approver", Roles.VIEWER);
    }

    @Test
    void aTokenWithOnlyForeignRolesGainsNothing() throws ParseException {
        SecurityIdentity stranger = resolve(issuer.token("mallory", Duration.ofMinutes(5), List.of("admin", "root")));

        assertThat(stranger.getRoles()).containsExactlyInAnyOrder("admin", "root");
        assertThat(stranger.hasRole(Roles.VIEWER)).isFalse();
    }

    @Test
    void aViewerOrAnAnonymousCallerIsLeftAsItIs() {
        SecurityIdentity viewer = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("v"))
                .addRole(Roles.VIEWER).build();
        SecurityIdentity anonymous = QuarkusSecurityIdentity.builder().setAnonymous(true).build();

        assertThat(augment(viewer)).isSameAs(viewer);
        assertThat(augment(anonymous)).isSameAs(anonymous);
        assertThat(augment(anonymous).getRoles()).isEmpty();
    }

    @Test
    void aTokenOfAnotherKeyOrAnotherIssuerIsRefused() {
        LocalIssuer impostor = LocalIssuer.in(keys.resolve("impostor"));
        String forged = impostor.token("bob", Duration.ofMinutes(5), List.of("sre"));
        JWTAuthContextInfo otherIssuer = new JWTAuthContextInfo(shipped);
        otherIssuer.setIssuedBy("https://idp.example.com/realms/twostep");

        assertThatThrownBy(() -> new DefaultJWTParser(shipped).parse(forged)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> new DefaultJWTParser(otherIssuer)
                .parse(issuer.token("bob", Duration.ofMinutes(5), List.of("sre")))).isInstanceOf(ParseException.class);
    }

    @Test
    void theRolesAreTheDocumentedEight() {
        assertThat(Roles.ALL).containsExactlyInAnyOrder("ci", "publisher", "deployer", "approver", "release-manager",
                "sre", "telemetry", "viewer");
    }

    /** As Quarkus does it: the verified token's groups are the identity's roles, then the augmentors run. */
    private static SecurityIdentity resolve(String bearer) throws ParseException {
        JsonWebToken token = new DefaultJWTParser(shipped).parse(bearer);
        Set<String> groups = token.getGroups();
        return augment(QuarkusSecurityIdentity.builder().setPrincipal(token).addRoles(groups).build());
    }

    private static SecurityIdentity augment(SecurityIdentity identity) {
        return new EveryRoleMayRead().augment(identity, null).await().atMost(Duration.ofSeconds(5));
    }
}
