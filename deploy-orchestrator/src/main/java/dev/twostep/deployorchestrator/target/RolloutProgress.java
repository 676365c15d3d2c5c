package dev.twostep.deployorchestrator.target;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * How far a Kubernetes Deployment has rolled out the change that gave it {@code generation}, read
 * the way {@code kubectl rollout status} reads it.
 */
public sealed interface RolloutProgress {

    record Done() implements RolloutProgress {
    }

    record Pending(String waitingFor) implements RolloutProgress {
    }

    record Failed(String reason) implements RolloutProgress {
    }

    static RolloutProgress of(Deployment deployment, long generation) {
        DeploymentStatus status = deployment.getStatus();
        if (status == null) {
            return new Pending("the controller has not reported a status yet");
        }
        if (status.getConditions() != null) {
            for (DeploymentCondition condition : status.getConditions()) {
                if ("Progressing".equals(condition.getType()) && "ProgressDeadlineExceeded".equals(condition.getReason())) {
                    return new Failed("rollout exceeded its progress deadline: " + condition.getMessage());
                }
            }
        }
        if (status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            return new Pending("the controller has not observed generation " + generation + " yet");
        }
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        int updated = orZero(status.getUpdatedReplicas());
        int available = orZero(status.getAvailableReplicas());
        int total = orZero(status.getReplicas());
        if (updated < wanted) {
            return new Pending(updated + " of " + wanted + " replicas updated");
        }
        if (total > updated) {
            return new Pending((total - updated) + " old replicas still running");
        }
        if (available < wanted) {
            return new Pending(available + " of " + wanted + " updated replicas available");
        }
        return new Done();
    }

    private static int orZero(Integer count) {
        return count == null ? 0 : count;
    }
}
