package dev.twostep.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In production every service and the console verify tokens of one OpenID Connect provider (deploy/k8s/README.md,
 * "Sign-in"): the console passes the signed-in person's own token on to the services it calls, so a service that
 * trusted another issuer, or none, would refuse every action taken in the console.
 */
class TokenVerificationTest {

    private static final String ISSUER = "MP_JWT_VERIFY_ISSUER";
    private static final String KEYS = "MP_JWT_VERIFY_PUBLICKEY_LOCATION";

    @Test
    void everyServiceAndTheConsoleVerifyTokensOfTheSameProviderInProd() {
        Manifests prod = Manifests.of(Overlay.PROD);
        Set<List<String>> providers = new HashSet<>();
        for (ServiceModule service : ServiceModule.ALL) {
            assertThat(service.dependencies()).as("%s verifies bearer tokens through access-control", service.name())
                    .contains("access-control");
            ServicePod pod = ServicePod.of(prod, service.name());
            providers.add(List.of(pod.literal(ISSUER), pod.literal(KEYS)));
        }
        assertThat(providers).as("issuer and key location of the six pods").hasSize(1);
        List<String> provider = providers.iterator().next();
        assertThat(provider.get(0)).as(ISSUER).isNotEqualTo(localIssuer()).startsWith("https://");
        assertThat(provider.get(1)).as("%s: the provider's JWKS over TLS, not a key file in the image", KEYS)
                .startsWith("https://");
    }

    @Test
    void theReadmeSaysWhereToSetTheProvider() {
        assertThat(Repository.read("deploy/k8s/README.md"))
                .contains("overlays/prod/token-verification.yaml", ISSUER, KEYS);
    }

    /** The issuer of ./twostep up's local tokens, access-control's default: never to be trusted in production. */
    private static String localIssuer() {
        Properties defaults = new Properties();
        try {
            defaults.load(new StringReader(Repository.read(
                    "access-control/src/main/resources/META-INF/microprofile-config.properties")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return defaults.getProperty("mp.jwt.verify.issuer");
    }
}
