package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.deployment.Admission;
import dev.twostep.deployorchestrator.view.ApprovalRepository;
import dev.twostep.deployorchestrator.view.DeploymentRepository;
import dev.twostep.deployorchestrator.view.DeploymentView;
import dev.twostep.deployorchestrator.view.EnvironmentEntity;
import dev.twostep.deployorchestrator.view.InventoryRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * What {@link Admission} decides on, read from the read model in the command's transaction, and its refusals in
 * the client's terms. Each read says why it may go without a lock, or takes one.
 */
@ApplicationScoped
class AdmissionFacts {

    private final DeploymentRepository deployments;
    private final InventoryRepository inventory;
    private final ApprovalRepository approvals;

    AdmissionFacts(DeploymentRepository deployments, InventoryRepository inventory, ApprovalRepository approvals) {
        this.deployments = deployments;
        this.inventory = inventory;
        this.approvals = approvals;
    }

    /**
     * Approvals and successes only ever accrue, so a read without a lock may miss one that just arrived (the request
     * is refused and may be sent again), but never admits on one that is gone.
     */
    Admission.Facts of(DeploymentService.Order order, EnvironmentEntity environment) {
        return new Admission.Facts(inFlight(order.application(), environment.name),
                environment.promotesFrom != null
                        && deployments.hasSucceeded(order.application(), order.version(), environment.promotesFrom),
                approvals.approvers(environment.name, order.application(), order.version()));
    }

    static Admission.Rules rulesOf(EnvironmentEntity environment) {
        return new Admission.Rules(environment.name, environment.promotesFrom, environment.requiresApproval,
                environment.autoRollbackOnFailure);
    }

    /** Read without a lock: the one-in-flight index refuses a second one that this read missed. */
    Optional<Admission.InFlight> inFlight(String application, String environment) {
        return deployments.inFlight(application, environment)
                .map(busy -> new Admission.InFlight(DeploymentView.urlOf(busy.id), busy.version));
    }

    /** What runs, locked (see {@link InventoryRepository#lock}), with the version it replaced. */
    Optional<Admission.Running> running(String environment, String application) {
        return inventory.lock(environment, application).map(running -> new Admission.Running(running.version,
                deployments.findById(running.deploymentId).replacedVersion));
    }
}
