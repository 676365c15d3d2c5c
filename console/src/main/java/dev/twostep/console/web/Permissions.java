package dev.twostep.console.web;

import dev.twostep.access.Roles;

import java.util.Set;

/**
 * Which of the console's actions a person's roles allow, the same rule the services apply: a page shows a button
 * only to someone the service would let through, and the service still decides (the console never acts in its own
 * name).
 *
 * @param approvePromotion {@code POST /environments/{env}/approvals} (approver)
 * @param requestDeployment {@code POST /deployments} (deployer)
 * @param changeRollout    promote, abort or roll back a rollout, roll a feature back (release-manager, sre)
 * @param rollBackApplication {@code POST /environments/{env}/applications/{app}/rollback} (deployer, sre)
 */
public record Permissions(boolean approvePromotion, boolean requestDeployment, boolean changeRollout,
                          boolean rollBackApplication) {

    public static Permissions of(Set<String> roles) {
        return new Permissions(roles.contains(Roles.APPROVER), roles.contains(Roles.DEPLOYER),
                roles.contains(Roles.RELEASE_MANAGER) || roles.contains(Roles.SRE),
                roles.contains(Roles.DEPLOYER) || roles.contains(Roles.SRE));
    }
}
