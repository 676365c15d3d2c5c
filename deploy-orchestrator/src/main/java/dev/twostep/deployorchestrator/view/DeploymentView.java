package dev.twostep.deployorchestrator.view;

import java.time.Instant;

/** A deployment as the API shows it; {@code url} is where to follow it. */
public record DeploymentView(String id, String url, String application, String version, String environment,
                             String digest, String commit, String buildId, String targetKind, String status,
                             String requestedBy, Instant requestedAt, Instant startedAt, Instant finishedAt,
                             String replacedVersion, String reason, Rollback rollback) {

    /** Present when the deployment puts back an earlier version. */
    public record Rollback(String fromVersion, String reason) {
    }

    public static String urlOf(String id) {
        return "/deployments/" + id;
    }

    public static DeploymentView of(DeploymentEntity row) {
        return new DeploymentView(row.id, urlOf(row.id), row.application, row.version, row.environment, row.digest,
                row.commit, row.buildId, row.targetKind, row.status, row.requestedBy, row.requestedAt, row.startedAt,
                row.finishedAt, row.replacedVersion, row.reason,
                row.rollbackFromVersion == null ? null : new Rollback(row.rollbackFromVersion, row.rollbackReason));
    }
}
