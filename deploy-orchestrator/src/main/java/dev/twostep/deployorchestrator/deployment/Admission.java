package dev.twostep.deployorchestrator.deployment;

import dev.twostep.deployorchestrator.approval.Approval;
import dev.twostep.refusals.Refused;

import java.util.Optional;
import java.util.Set;

/**
 * Which deployments may start in an environment: one in flight per application, the promotion
 * rule, four eyes where an approval is required, and which version a rollback puts back. A pure
 * decision over facts; the service reads them under a lock, or they only ever grow (a succeeded
 * deployment stays succeeded, an approval is never withdrawn), so a fact read a moment ago still holds.
 */
public final class Admission {

    private Admission() {
    }

    /** What an environment asks of the deployments into it. */
    public record Rules(String environment, String promotesFrom, boolean requiresApproval,
                        boolean autoRollbackOnFailure) {
    }

    /** A deployment of the same application into the same environment that has not ended. */
    public record InFlight(String url, String version) {
    }

    /** What runs of an application in an environment, and the version it replaced (null for the first). */
    public record Running(String version, String replacedVersion) {
    }

    /**
     * What is known about a requested version.
     *
     * @param succeededWherePromotedFrom whether the version was deployed successfully in the environment
     *                                   that the rules promote from (irrelevant when they name none)
     * @param approvers                  who approved the version for the environment
     */
    public record Facts(Optional<InFlight> inFlight, boolean succeededWherePromotedFrom, Set<String> approvers) {
    }

    /** @throws Refused unless {@code requester} may deploy this version of the application now */
    public static void request(String application, String version, String requester, Rules rules, Facts facts) {
        refuseWhileInFlight(application, rules.environment(), facts.inFlight());
        if (rules.promotesFrom() != null && !facts.succeededWherePromotedFrom()) {
            throw Refused.conflict(rules.environment() + " promotes from " + rules.promotesFrom() + ", where version "
                    + version + " of " + application + " has not been deployed successfully");
        }
        if (rules.requiresApproval()) {
            // An approval is of a version for an environment, not of one attempt: a retry needs none.
            String what = "version " + version + " of " + application + " into " + rules.environment();
            if (facts.approvers().isEmpty()) {
                throw Refused.conflict(rules.environment() + " requires an approval of " + what
                        + "; POST /environments/" + rules.environment() + "/approvals first");
            }
            if (!Approval.allowsRequestBy(facts.approvers(), requester)) {
                throw Refused.forbidden("the only approval of " + what + " is by " + requester
                        + ", who requests the deployment; someone else must approve it");
            }
        }
    }

    /**
     * A rollback deploys again the version that ran before the one that runs now. It skips the
     * promotion rule and the approval: that version already ran in this environment.
     *
     * @return the version to deploy again
     * @throws Refused when nothing runs, nothing else ran before it, or a deployment is in flight
     */
    public static String rollback(String application, String environment, Optional<Running> running,
                                  Optional<InFlight> inFlight) {
        Running now = running.orElseThrow(() -> Refused.conflict("nothing of " + application + " runs in "
                + environment + ", so there is nothing to roll back"));
        if (now.replacedVersion() == null || now.replacedVersion().equals(now.version())) {
            throw Refused.conflict("no other version of " + application + " ran in " + environment + " before "
                    + now.version() + "; there is nothing to roll back to");
        }
        refuseWhileInFlight(application, environment, inFlight);
        return now.replacedVersion();
    }

    /**
     * After a deployment failed, where the environment asks for it, what ran before is deployed
     * again. A failed rollback is not rolled back in turn: that could go back and forth forever.
     *
     * @param running the version that runs in the environment, if any
     * @return the version to deploy again, or empty when there is none to roll back to
     */
    public static Optional<String> afterFailure(Rules rules, String failedVersion, boolean failedWasRollback,
                                                Optional<String> running) {
        if (!rules.autoRollbackOnFailure() || failedWasRollback) {
            return Optional.empty();
        }
        return running.filter(version -> !version.equals(failedVersion));
    }

    private static void refuseWhileInFlight(String application, String environment, Optional<InFlight> inFlight) {
        inFlight.ifPresent(busy -> {
            throw Refused.conflict("deployment " + busy.url() + " of " + application + " version " + busy.version()
                    + " into " + environment + " is still in flight");
        });
    }
}
