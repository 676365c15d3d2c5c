package dev.twostep.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In production people sign in to the console at the OpenID Connect provider (the authorization-code flow), and it is
 * the very provider whose tokens every pod verifies, with the roles read from the same claim: the console passes the
 * person's access token on to the services, which must accept it. Elsewhere the flow is off, so {@code ./twostep up}
 * and the dev overlay need no provider.
 */
class ConsoleProviderSignInTest {

    private static final String SECRET = "console-oidc";

    @Test
    void theProdConsoleSignsPeopleInAtTheProviderEveryPodVerifies() {
        ServicePod console = ServicePod.of(Manifests.of(Overlay.PROD), "console");
        assertThat(console.literal("QUARKUS_OIDC_TENANT_ENABLED")).isEqualTo("true");
        assertThat(console.literal("QUARKUS_OIDC_CLIENT_ID")).isNotBlank();
        assertThat(console.secretKey("QUARKUS_OIDC_CREDENTIALS_SECRET").secret()).isEqualTo(SECRET);
        assertThat(console.secretKey("QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET").secret()).isEqualTo(SECRET);

        Properties defaults = consoleProperties();
        assertThat(defaults.getProperty("quarkus.oidc.auth-server-url")).isEqualTo("${mp.jwt.verify.issuer}");
        assertThat(defaults.getProperty("quarkus.oidc.roles.role-claim-path")).isEqualTo("${smallrye.jwt.path.groups}");
        String issuer = console.literal("MP_JWT_VERIFY_ISSUER");
        if (console.environment().containsKey("QUARKUS_OIDC_AUTH_SERVER_URL")) {
            assertThat(console.literal("QUARKUS_OIDC_AUTH_SERVER_URL")).isEqualTo(issuer);
        }
        if (console.environment().containsKey("QUARKUS_OIDC_ROLES_ROLE_CLAIM_PATH")) {
            assertThat(console.literal("QUARKUS_OIDC_ROLES_ROLE_CLAIM_PATH"))
                    .isEqualTo(console.literal("SMALLRYE_JWT_PATH_GROUPS"));
        }
    }

    @Test
    void theConsoleDefaultsToTheFlowOffAndTheDevOverlayKeepsItOff() {
        assertThat(consoleProperties().getProperty("quarkus.oidc.tenant-enabled")).isEqualTo("false");
        assertThat(ServicePod.of(Manifests.of(Overlay.DEV), "console").environment())
                .doesNotContainKey("QUARKUS_OIDC_TENANT_ENABLED");
    }

    @Test
    void theReadmeSaysHowToCreateTheClientSecret() {
        assertThat(Repository.read("deploy/k8s/README.md")).contains("`" + SECRET + "`", "client-secret",
                "session-secret", "/sign-in/provider");
    }

    private static Properties consoleProperties() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repository.read("console/src/main/resources/application.properties")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return properties;
    }
}
