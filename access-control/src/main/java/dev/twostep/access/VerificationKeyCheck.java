package dev.twostep.access;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Says loudly at startup when no key to verify tokens is configured. Authentication stays on regardless: without a
 * key every protected request is refused with 401, and this line tells the operator why.
 *
 * <p>It reads MicroProfile JWT's own keys one by one rather than through a {@code @ConfigMapping}: a mapping of
 * {@code mp.jwt.verify} would refuse at startup every key of that namespace it does not list (SmallRye Config's
 * check for unknown keys spares only {@code quarkus.*}), so an operator's {@code mp.jwt.verify.audiences} would stop
 * the service.
 */
public class VerificationKeyCheck {

    private static final Logger LOG = Logger.getLogger(VerificationKeyCheck.class);

    void onStart(@Observes StartupEvent started,
                 @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
                 @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inlineKey,
                 @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer) {
        if (keyLocation.isEmpty() && inlineKey.isEmpty()) {
            LOG.error("""

                    ************************************************************************************
                    * NO TOKEN VERIFICATION KEY IS CONFIGURED: every write and read will answer 401.   *
                    * Set MP_JWT_VERIFY_PUBLICKEY_LOCATION to a PEM file or your OIDC provider's JWKS  *
                    * URL (./twostep up does this for a local run).                                    *
                    ************************************************************************************""");
        } else {
            LOG.infof("bearer tokens are verified with %s, issuer %s", keyLocation.orElse("an inline key"),
                    issuer.orElse("(any)"));
        }
    }
}
