package dev.twostep.deployorchestrator.deployment;

import dev.twostep.events.DeploymentEvent;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.refusals.Refused;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attempt to put one artefact version of one application into one environment:
 * requested, then started, then succeeded or failed, never both. Every event repeats the
 * artefact's digest and commit, so each fact on its own says exactly what was deployed.
 */
public record Deployment(Status status, Optional<DeploymentRequested> requested, long version) {

    public enum Status { NONE, REQUESTED, STARTED, SUCCEEDED, FAILED }

    public static final Deployment NONE = new Deployment(Status.NONE, Optional.empty(), 0);

    /** This deployment puts back an earlier version: its success is also a {@link DeploymentRolledBack}. */
    public record Rollback(String fromVersion, String reason) {
    }

    public static Deployment fold(List<? extends DeploymentEvent> history) {
        Deployment state = NONE;
        for (DeploymentEvent event : history) {
            state = state.evolve(event);
        }
        return state;
    }

    public Deployment evolve(DeploymentEvent event) {
        return switch (event) {
            case DeploymentRequested wanted -> new Deployment(Status.REQUESTED, Optional.of(wanted), version + 1);
            case DeploymentStarted ignored -> moved(Status.STARTED);
            case DeploymentSucceeded ignored -> moved(Status.SUCCEEDED);
            case DeploymentFailed ignored -> moved(Status.FAILED);
            case DeploymentRolledBack ignored -> moved(status);
            case DeploymentEvent.EnvironmentDefined ignored -> throw notOfADeployment(event);
            case DeploymentEvent.PromotionApproved ignored -> throw notOfADeployment(event);
        };
    }

    private Deployment moved(Status next) {
        return new Deployment(next, requested, version + 1);
    }

    private static IllegalArgumentException notOfADeployment(DeploymentEvent event) {
        return new IllegalArgumentException(event.getClass().getSimpleName() + " is not a deployment's event");
    }

    public List<DeploymentEvent> request(DeploymentRequested wanted) {
        if (status != Status.NONE) {
            throw Refused.conflict("deployment " + wanted.deploymentId() + " was already requested");
        }
        return List.of(wanted);
    }

    /** Requests and starts a new deployment at once: the orchestrator decides both now, the target does the rest. */
    public List<DeploymentEvent> open(DeploymentRequested wanted, String targetKind) {
        List<DeploymentEvent> events = new ArrayList<>(request(wanted));
        events.addAll(evolve(wanted).start(targetKind));
        return events;
    }

    public List<DeploymentEvent> start(String targetKind) {
        DeploymentRequested what = expect(Status.REQUESTED, "start");
        return List.of(new DeploymentStarted(what.deploymentId(), what.application(), what.version(),
                what.environment(), what.digest(), what.commit(), targetKind));
    }

    /**
     * @param replacedVersion what ran in the environment before, or null for a first deployment
     * @param rollback        present when this deployment puts back an earlier version
     */
    public List<DeploymentEvent> succeed(String replacedVersion, Optional<Rollback> rollback) {
        if (status == Status.SUCCEEDED) {
            return List.of();
        }
        DeploymentRequested what = expect(Status.STARTED, "succeed");
        List<DeploymentEvent> events = new ArrayList<>();
        events.add(new DeploymentSucceeded(what.deploymentId(), what.application(), what.version(),
                what.environment(), what.digest(), what.commit(), replacedVersion));
        rollback.ifPresent(back -> events.add(new DeploymentRolledBack(what.deploymentId(), what.application(),
                what.environment(), back.fromVersion(), what.version(), back.reason())));
        return events;
    }

    public List<DeploymentEvent> fail(String reason) {
        if (status == Status.FAILED) {
            return List.of();
        }
        if (status != Status.REQUESTED && status != Status.STARTED) {
            throw Refused.conflict(describe() + " cannot fail");
        }
        DeploymentRequested what = requested.orElseThrow();
        return List.of(new DeploymentFailed(what.deploymentId(), what.application(), what.version(),
                what.environment(), what.digest(), what.commit(), reason));
    }

    private DeploymentRequested expect(Status wanted, String action) {
        if (status != wanted) {
            throw Refused.conflict(describe() + " cannot " + action);
        }
        return requested.orElseThrow();
    }

    private String describe() {
        return requested.map(r -> "deployment " + r.deploymentId() + " (" + status + ")")
                .orElse("a deployment that was never requested");
    }
}
