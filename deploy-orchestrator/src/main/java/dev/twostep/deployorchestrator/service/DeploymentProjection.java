package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.config.DeployConfig;
import dev.twostep.deployorchestrator.deployment.Deployment.Rollback;
import dev.twostep.deployorchestrator.deployment.Deployment.Status;
import dev.twostep.deployorchestrator.view.DeploymentEntity;
import dev.twostep.deployorchestrator.view.EnvironmentEntity;
import dev.twostep.deployorchestrator.view.InventoryEntity;
import dev.twostep.deployorchestrator.view.InventoryRepository;
import dev.twostep.deployorchestrator.view.KnownArtefactEntity;
import dev.twostep.events.DeploymentEvent;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.util.Optional;

/**
 * Keeps the read model (a deployment's row, and the inventory of what runs where) in step with a
 * deployment's events, in the transaction that appends them.
 */
@ApplicationScoped
class DeploymentProjection {

    private final InventoryRepository inventory;
    private final DeployConfig config;

    DeploymentProjection(InventoryRepository inventory, DeployConfig config) {
        this.inventory = inventory;
        this.config = config;
    }

    /**
     * The row of a deployment about to be requested: what it deploys, where, and why; its events fill in the rest
     * before it is inserted.
     */
    static DeploymentEntity newRow(DeploymentRequested requested, KnownArtefactEntity artefact,
                                   EnvironmentEntity environment, String idempotencyKey, Optional<Rollback> rollback) {
        DeploymentEntity row = new DeploymentEntity();
        row.id = requested.deploymentId();
        row.application = artefact.application;
        row.version = artefact.version;
        row.environment = environment.name;
        row.digest = artefact.digest;
        row.uri = artefact.uri;
        row.commit = artefact.commit;
        row.buildId = artefact.buildId;
        row.targetKind = environment.targetKind;
        row.requestedBy = requested.requestedBy();
        row.correlationId = artefact.correlationId;
        row.idempotencyKey = idempotencyKey;
        rollback.ifPresent(back -> {
            row.rollbackFromVersion = back.fromVersion();
            row.rollbackReason = back.reason();
        });
        return row;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void project(DeploymentEntity row, EventEnvelope envelope) {
        switch ((DeploymentEvent) envelope.data()) {
            case DeploymentRequested ignored -> {
                row.status = Status.REQUESTED.name();
                row.requestedAt = envelope.time();
            }
            case DeploymentStarted ignored -> {
                row.status = Status.STARTED.name();
                row.startedAt = envelope.time();
                row.deadline = envelope.time().plus(timeoutOf(row.targetKind));
            }
            case DeploymentSucceeded succeeded -> {
                finish(row, Status.SUCCEEDED, envelope);
                row.replacedVersion = succeeded.replacedVersion();
                Optional<InventoryEntity> before = inventory.find(row.environment, row.application);
                InventoryEntity running = before.orElseGet(InventoryEntity::new);
                running.environment = row.environment;
                running.application = row.application;
                running.version = row.version;
                running.digest = row.digest;
                running.commit = row.commit;
                running.buildId = row.buildId;
                running.since = envelope.time();
                running.deploymentId = row.id;
                if (before.isEmpty()) {
                    inventory.persist(running);
                }
            }
            case DeploymentFailed failed -> {
                finish(row, Status.FAILED, envelope);
                row.reason = failed.reason();
            }
            case DeploymentRolledBack ignored -> {
                // The row already says which version this deployment rolled back from, and why.
            }
            case DeploymentEvent.EnvironmentDefined ignored -> throw new IllegalStateException("not a deployment's");
            case DeploymentEvent.PromotionApproved ignored -> throw new IllegalStateException("not a deployment's");
        }
    }

    private static void finish(DeploymentEntity row, Status status, EventEnvelope envelope) {
        row.status = status.name();
        row.finishedAt = envelope.time();
        row.deadline = null;
    }

    private Duration timeoutOf(String targetKind) {
        return DeploymentService.KUBERNETES.equals(targetKind) ? config.kubernetes().timeout()
                : config.externalTimeout();
    }
}
