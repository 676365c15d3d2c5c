package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.config.DeployConfig;
import dev.twostep.deployorchestrator.target.ImageReference;
import dev.twostep.deployorchestrator.target.KubernetesTarget;
import dev.twostep.deployorchestrator.target.KubernetesTarget.Workload;
import dev.twostep.deployorchestrator.target.RolloutProgress;
import dev.twostep.deployorchestrator.view.DeploymentEntity;
import dev.twostep.deployorchestrator.view.DeploymentRepository;
import dev.twostep.deployorchestrator.view.EnvironmentEntity;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * Carries started deployments to their end: sets the image of a Kubernetes target and watches the
 * rollout, and fails whatever does not finish in time.
 *
 * <p>Every replica runs this pass. A deployment is claimed before anything is done for it: its row
 * is locked ({@code FOR UPDATE SKIP LOCKED}) in a transaction of its own, which stays open while the
 * API server is called and records what came of it. Another replica's pass skips a claimed
 * deployment, and once the claim commits, reads what it recorded. Why a row lock and not a lease:
 * see the README.
 */
@ApplicationScoped
public class DeploymentSupervisor {

    private static final Logger LOG = Logger.getLogger(DeploymentSupervisor.class);

    private final DeploymentRepository rows;
    private final DeploymentService deployments;
    private final EnvironmentRepository environments;
    private final KubernetesTarget kubernetes;
    private final DeployConfig config;
    private final Clock clock;

    DeploymentSupervisor(DeploymentRepository rows, DeploymentService deployments,
                         EnvironmentRepository environments, KubernetesTarget kubernetes, DeployConfig config,
                         Clock clock) {
        this.rows = rows;
        this.deployments = deployments;
        this.environments = environments;
        this.kubernetes = kubernetes;
        this.config = config;
        this.clock = clock;
    }

    /**
     * One pass over the started deployments. {@code SKIP} keeps this replica's passes apart; the claims keep
     * replicas apart.
     */
    @Scheduled(every = "${twostep.deploy.supervise-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void superviseStartedDeployments() {
        for (String id : rows.startedIds()) {
            try {
                QuarkusTransaction.requiringNew().run(() -> rows.claimStarted(id).ifPresent(this::supervise));
            } catch (KubernetesTarget.Changed e) {
                // Nothing was recorded: the next pass reads the deployment and the Deployment again, then acts.
                LOG.infof("deployment %s: %s; trying again at the next pass", id, e.getMessage());
            } catch (RuntimeException e) {
                // One deployment's trouble must not stall the others; the next pass tries again.
                LOG.warnf(e, "cannot supervise deployment %s now", id);
            }
        }
    }

    private void supervise(DeploymentEntity deployment) {
        if (DeploymentService.KUBERNETES.equals(deployment.targetKind)) {
            watchRollout(deployment);
        } else if (overdue(deployment)) {
            deployments.concludeStarted(deployment.id, Optional.of("no status report within "
                    + config.externalTimeout() + " (twostep.deploy.external-timeout)"));
        }
    }

    private void watchRollout(DeploymentEntity deployment) {
        EnvironmentEntity environment = environments.findById(deployment.environment);
        Workload workload = Workload.of(environment.targetNamespace, environment.targetDeploymentName,
                environment.targetContainer, deployment.application);
        try {
            if (deployment.targetGeneration == null) {
                if (deployment.uri == null) {
                    deployments.concludeStarted(deployment.id, Optional.of("artefact " + deployment.application
                            + " version " + deployment.version + " has no uri to pull an image from"));
                    return;
                }
                long generation = kubernetes.setImage(workload, ImageReference.pinned(deployment.uri, deployment.digest));
                deployments.recordImageSet(deployment.id, generation);
                return;
            }
            switch (kubernetes.progress(workload, deployment.targetGeneration)) {
                case RolloutProgress.Done ignored -> deployments.concludeStarted(deployment.id, Optional.empty());
                case RolloutProgress.Failed failed -> deployments.concludeStarted(deployment.id,
                        Optional.of(failed.reason()));
                case RolloutProgress.Pending pending when overdue(deployment) -> deployments.concludeStarted(
                        deployment.id, Optional.of("rollout of " + workload + " did not complete within "
                                + config.kubernetes().timeout() + " (twostep.deploy.kubernetes.timeout): "
                                + pending.waitingFor()));
                case RolloutProgress.Pending ignored -> {
                    // Still rolling out, and within its time.
                }
            }
        } catch (KubernetesTarget.Unusable e) {
            deployments.concludeStarted(deployment.id, Optional.of(e.getMessage()));
        } catch (RuntimeException e) {
            if (!overdue(deployment)) {
                // Unreachable, a 5xx, or Changed: the claim's transaction rolls back, and the next pass tries again.
                throw e;
            }
            deployments.concludeStarted(deployment.id, Optional.of("the Kubernetes API server did not answer within "
                    + config.kubernetes().timeout() + ": " + e.getMessage()));
        }
    }

    private boolean overdue(DeploymentEntity deployment) {
        return deployment.deadline != null && clock.instant().isAfter(deployment.deadline);
    }
}
