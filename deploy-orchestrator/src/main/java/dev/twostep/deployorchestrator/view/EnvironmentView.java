package dev.twostep.deployorchestrator.view;

import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.Target;

import java.time.Instant;

public record EnvironmentView(String name, String promotesFrom, boolean requiresApproval,
                              boolean autoRollbackOnFailure, Target target, Instant updatedAt) {

    public static EnvironmentView of(EnvironmentEntity row) {
        return new EnvironmentView(row.name, row.promotesFrom, row.requiresApproval, row.autoRollbackOnFailure,
                new Target(row.targetKind, row.targetNamespace, row.targetDeploymentName, row.targetContainer),
                row.updatedAt);
    }

    /** Copies a definition onto a (new or existing) row. */
    public static void apply(EnvironmentDefined defined, EnvironmentEntity row, Instant at) {
        row.name = defined.name();
        row.promotesFrom = defined.promotesFrom();
        row.requiresApproval = defined.requiresApproval();
        row.autoRollbackOnFailure = defined.autoRollbackOnFailure();
        row.targetKind = defined.target().kind();
        row.targetNamespace = defined.target().namespace();
        row.targetDeploymentName = defined.target().deploymentNameTemplate();
        row.targetContainer = defined.target().container();
        row.updatedAt = at;
    }
}
