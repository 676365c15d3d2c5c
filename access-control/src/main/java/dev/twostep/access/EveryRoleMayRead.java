package dev.twostep.access;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collections;

/**
 * Anyone trusted with a Twostep role may also read, so tokens need not list {@code viewer} beside every other role.
 * A token whose roles are all foreign to Twostep gains nothing.
 */
@ApplicationScoped
public class EveryRoleMayRead implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.hasRole(Roles.VIEWER)
                || Collections.disjoint(identity.getRoles(), Roles.ALL)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRole(Roles.VIEWER).build());
    }
}
