package dev.twostep.console.intake;

import dev.twostep.console.suspects.Change.Kind;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.TwostepEvent;

import java.sql.SQLException;

/**
 * What the deploy side's events tell the console: a build's finish and an artefact's provenance (where lead times
 * start, and which application carries which feature), deployment facts, and the environment's changes.
 */
final class DeployProjection {

    private final ReadModelRows rows;

    DeployProjection(ReadModelRows rows) {
        this.rows = rows;
    }

    /** Writes what {@code data} tells; an event of another kind, or one the console does not use, writes nothing. */
    void write(TwostepEvent data) throws SQLException {
        if (data instanceof BuildCompleted build) {
            rows.insert("INSERT INTO build (build_id, commit, finished_at, event_id) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING", build.buildId(), build.commit(),
                    ReadModelRows.time(build.finishedAt()), rows.event().id());
        } else if (data instanceof ArtefactPublished artefact) {
            rows.insert("INSERT INTO artefact_version (application, version, build_id, commit, features, event_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", artefact.name(), artefact.version(),
                    artefact.buildId(), artefact.commit(), rows.connection().createArrayOf("text",
                            artefact.features().toArray()), rows.event().id());
            for (String feature : artefact.features()) {
                rows.featureOf(artefact.name(), feature);
            }
        } else if (data instanceof DeploymentRequested asked) {
            rows.deployFact("deploy.requested", asked.deploymentId(), asked.application(), asked.environment(),
                    asked.version(), null, null);
        } else if (data instanceof DeploymentSucceeded done) {
            rows.deployFact("deploy.succeeded", done.deploymentId(), done.application(), done.environment(),
                    done.version(), done.replacedVersion(), null);
            rows.change(done.environment(), Kind.DEPLOYED, done.application(), null, done.version(),
                    done.replacedVersion(), done.commit(), null, null, false, null, null,
                    done.application() + " " + done.version() + " deployed" + (done.replacedVersion() == null
                            ? " (first deployment)" : " (replaced " + done.replacedVersion() + ")"));
        } else if (data instanceof DeploymentFailed failed) {
            rows.deployFact("deploy.failed", failed.deploymentId(), failed.application(), failed.environment(),
                    failed.version(), null, failed.reason());
            rows.change(failed.environment(), Kind.DEPLOY_FAILED, failed.application(), null, failed.version(), null,
                    failed.commit(), null, null, false, null, failed.reason(),
                    failed.application() + " " + failed.version() + " failed to deploy: " + failed.reason());
        } else if (data instanceof DeploymentRolledBack back) {
            rows.deployFact("deploy.rolledback", back.deploymentId(), back.application(), back.environment(),
                    back.toVersion(), back.fromVersion(), back.reason());
            rows.change(back.environment(), Kind.DEPLOY_ROLLED_BACK, back.application(), null, back.toVersion(),
                    back.fromVersion(), null, null, null, false, null, back.reason(),
                    back.application() + " rolled back from " + back.fromVersion() + " to " + back.toVersion()
                            + ": " + back.reason());
        } else if (data instanceof EnvironmentDefined defined) {
            rows.change(defined.name(), Kind.ENVIRONMENT_DEFINED, null, null, null, null, null, null, null, false,
                    null, null, "environment " + defined.name() + " defined: promotes from "
                            + (defined.promotesFrom() == null ? "nowhere" : defined.promotesFrom())
                            + (defined.requiresApproval() ? ", approval required" : "")
                            + (defined.autoRollbackOnFailure() ? ", rolls back on failure" : "")
                            + ", target " + defined.target().kind());
        } else if (data instanceof PromotionApproved approved) {
            rows.change(approved.environment(), Kind.PROMOTION_APPROVED, approved.application(), null,
                    approved.version(), null, null, null, null, false, null, null,
                    approved.approvedBy() + " approved " + approved.application() + " " + approved.version());
        }
    }
}
