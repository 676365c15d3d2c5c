package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.approval.Approval;
import dev.twostep.deployorchestrator.config.DeployConfig;
import dev.twostep.deployorchestrator.deployment.Deployment;
import dev.twostep.deployorchestrator.deployment.Deployment.Rollback;
import dev.twostep.deployorchestrator.deployment.Deployment.Status;
import dev.twostep.deployorchestrator.view.ApprovalRepository;
import dev.twostep.deployorchestrator.view.DeploymentEntity;
import dev.twostep.deployorchestrator.view.DeploymentRepository;
import dev.twostep.deployorchestrator.view.DeploymentView;
import dev.twostep.deployorchestrator.view.EnvironmentEntity;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import dev.twostep.deployorchestrator.view.InventoryEntity;
import dev.twostep.deployorchestrator.view.InventoryRepository;
import dev.twostep.deployorchestrator.view.InventoryView;
import dev.twostep.deployorchestrator.view.KnownArtefactEntity;
import dev.twostep.events.DeploymentEvent;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.ConcurrencyConflict;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Admits, carries out and concludes deployments. Each method is one transaction in which the
 * deployment's events, the read model (deployment, inventory) and the outbox change together;
 * a refusal throws before anything is written, or rolls it all back.
 */
@ApplicationScoped
public class DeploymentService {

    /** The actor of what the orchestrator does by itself: timeouts, rollout verdicts, automatic rollbacks. */
    public static final String ORCHESTRATOR = "deploy-orchestrator";
    public static final String EXTERNAL = "external";
    public static final String KUBERNETES = "kubernetes";

    private static final Logger LOG = Logger.getLogger(DeploymentService.class);

    private final EventStore store;
    private final DeploymentRepository deployments;
    private final KnownArtefactService artefacts;
    private final EnvironmentRepository environments;
    private final InventoryRepository inventory;
    private final ApprovalRepository approvals;
    private final DeployConfig config;

    DeploymentService(EventStore store, DeploymentRepository deployments, KnownArtefactService artefacts,
                      EnvironmentRepository environments, InventoryRepository inventory, ApprovalRepository approvals,
                      DeployConfig config) {
        this.store = store;
        this.deployments = deployments;
        this.artefacts = artefacts;
        this.environments = environments;
        this.inventory = inventory;
        this.approvals = approvals;
        this.config = config;
    }

    /** What a client asks to deploy. */
    public record Order(String application, String version, String environment) {
    }

    /** @param created false when an earlier request with the same Idempotency-Key made the deployment */
    public record Accepted(DeploymentView deployment, boolean created) {
    }

    public enum Report { SUCCEEDED, FAILED }

    private record Loaded(Deployment state, String lastEventId) {
    }

    @Transactional
    public Accepted request(Order order, String actor, String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<DeploymentEntity> earlier = deployments.byIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                DeploymentEntity row = earlier.get();
                if (!new Order(row.application, row.version, row.environment).equals(order)) {
                    throw ProblemException.unprocessable("Idempotency-Key " + idempotencyKey
                            + " was already used for another deployment: " + DeploymentView.urlOf(row.id));
                }
                return new Accepted(DeploymentView.of(row), false);
            }
        }
        KnownArtefactEntity artefact = artefacts.deployable(order.application(), order.version());
        EnvironmentEntity environment = environments.findByIdOptional(order.environment()).orElseThrow(() ->
                ProblemException.unprocessable("no environment " + order.environment()
                        + "; define it first with PUT /environments/" + order.environment()));
        refuseWhileInFlight(order.application(), environment.name);
        if (environment.promotesFrom != null
                && !deployments.hasSucceeded(order.application(), order.version(), environment.promotesFrom)) {
            throw ProblemException.conflict(environment.name + " promotes from " + environment.promotesFrom
                    + ", where version " + order.version() + " of " + order.application()
                    + " has not been deployed successfully");
        }
        if (environment.requiresApproval) {
            // An approval is of a version for an environment, not of one attempt: a retry needs none.
            requireApprovalByAnother(order, actor);
        }
        DeploymentEntity row = open(artefact, environment, actor, idempotencyKey, Optional.empty(),
                artefact.publishedEventId);
        return new Accepted(DeploymentView.of(row), true);
    }

    /**
     * Deploys again the version that ran before the one that runs now, as a new deployment. It skips
     * the promotion rule and the approval: that version already ran in this environment.
     */
    @Transactional
    public DeploymentView rollback(String environmentName, String application, String reason, String actor) {
        EnvironmentEntity environment = environments.findByIdOptional(environmentName)
                .orElseThrow(() -> ProblemException.notFound("no environment " + environmentName));
        InventoryEntity running = inventory.find(environmentName, application).orElseThrow(() ->
                ProblemException.conflict("nothing of " + application + " runs in " + environmentName
                        + ", so there is nothing to roll back"));
        String previous = deployments.findById(running.deploymentId).replacedVersion;
        if (previous == null || previous.equals(running.version)) {
            throw ProblemException.conflict("no other version of " + application + " ran in " + environmentName
                    + " before " + running.version + "; there is nothing to roll back to");
        }
        refuseWhileInFlight(application, environmentName);
        KnownArtefactEntity artefact = artefacts.deployable(application, previous);
        return DeploymentView.of(open(artefact, environment, actor, null,
                Optional.of(new Rollback(running.version, reason)), artefact.publishedEventId));
    }

    /** The report of an external target about a deployment it carried out. */
    @Transactional
    public DeploymentView report(String id, Report report, String reason, String actor) {
        DeploymentEntity row = deployments.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("no deployment " + id));
        if (!EXTERNAL.equals(row.targetKind)) {
            throw ProblemException.conflict("deployment " + id + " goes to a " + row.targetKind
                    + " target, whose rollout the orchestrator watches itself; only external targets report");
        }
        try {
            switch (report) {
                case SUCCEEDED -> succeed(row, actor);
                case FAILED -> fail(row, reason, actor);
            }
        } catch (Deployment.Refused e) {
            throw ProblemException.conflict(e.getMessage());
        } catch (ConcurrencyConflict e) {
            throw ProblemException.conflict("deployment " + id + " changed while this report was applied (the "
                    + "orchestrator may have just timed it out); GET it and report again if it is still STARTED");
        }
        return DeploymentView.of(row);
    }

    /** The orchestrator's own verdict on a started deployment; a deployment that already finished stays so. */
    @Transactional
    public void concludeStarted(String id, Optional<String> failure) {
        DeploymentEntity row = deployments.findById(id);
        if (row == null || !Status.STARTED.name().equals(row.status)) {
            return;
        }
        failure.ifPresentOrElse(reason -> fail(row, reason, ORCHESTRATOR), () -> succeed(row, ORCHESTRATOR));
    }

    /** The Kubernetes Deployment now asks for the artefact's image; its controller must reach this generation. */
    @Transactional
    public void recordImageSet(String id, long generation) {
        deployments.findById(id).targetGeneration = generation;
    }

    public Optional<DeploymentView> find(String id) {
        return deployments.findByIdOptional(id).map(DeploymentView::of);
    }

    /** A snapshot of the row, for the supervisor to decide what to do outside a transaction. */
    public Optional<DeploymentEntity> snapshot(String id) {
        return deployments.findByIdOptional(id);
    }

    public List<String> startedIds() {
        return deployments.startedIds();
    }

    public List<DeploymentView> ofApplication(String application) {
        return deployments.ofApplication(application).stream().map(DeploymentView::of).toList();
    }

    public InventoryView inventoryOf(String environment) {
        if (environments.findByIdOptional(environment).isEmpty()) {
            throw ProblemException.notFound("no environment " + environment);
        }
        return InventoryView.of(environment, inventory.of(environment));
    }

    private void refuseWhileInFlight(String application, String environment) {
        deployments.inFlight(application, environment).ifPresent(busy -> {
            throw ProblemException.conflict("deployment " + DeploymentView.urlOf(busy.id) + " of " + application
                    + " version " + busy.version + " into " + environment + " is still in flight");
        });
    }

    private void requireApprovalByAnother(Order order, String requester) {
        Set<String> approvers = approvals.approvers(order.environment(), order.application(), order.version());
        String what = "version " + order.version() + " of " + order.application() + " into " + order.environment();
        if (approvers.isEmpty()) {
            throw ProblemException.conflict(order.environment() + " requires an approval of " + what
                    + "; POST /environments/" + order.environment() + "/approvals first");
        }
        if (!Approval.allowsRequestBy(approvers, requester)) {
            throw new ProblemException(403, "Forbidden", "the only approval of " + what + " is by " + requester
                    + ", who requests the deployment; someone else must approve it", List.of());
        }
    }

    /** Requests and starts a new deployment: both are decided now, the target does the rest. */
    private DeploymentEntity open(KnownArtefactEntity artefact, EnvironmentEntity environment, String actor,
                                  String idempotencyKey, Optional<Rollback> rollback, String causationId) {
        DeploymentRequested requested = new DeploymentRequested(UUID.randomUUID().toString(), artefact.application,
                artefact.version, environment.name, artefact.digest, artefact.commit, artefact.buildId, actor);
        List<DeploymentEvent> events = new ArrayList<>(Deployment.NONE.request(requested));
        events.addAll(Deployment.fold(events).start(environment.targetKind));

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
        row.requestedBy = actor;
        row.correlationId = artefact.correlationId;
        row.idempotencyKey = idempotencyKey;
        rollback.ifPresent(back -> {
            row.rollbackFromVersion = back.fromVersion();
            row.rollbackReason = back.reason();
        });
        append(row, new Loaded(Deployment.NONE, causationId), events, actor);
        try {
            deployments.persist(row);
            deployments.flush();
        } catch (PersistenceException e) {
            // Two requests raced past refuseWhileInFlight; the one-in-flight index stopped the second.
            LOG.debugf(e, "deployment %s refused at insert", row.id);
            throw ProblemException.conflict("another deployment of " + artefact.application + " into "
                    + environment.name + " is in flight, or the Idempotency-Key is taken");
        }
        return row;
    }

    private void succeed(DeploymentEntity row, String actor) {
        Loaded loaded = load(row.id);
        String replaced = inventory.find(row.environment, row.application).map(running -> running.version)
                .orElse(null);
        Optional<Rollback> rollback = Optional.ofNullable(row.rollbackFromVersion)
                .map(from -> new Rollback(from, row.rollbackReason));
        append(row, loaded, loaded.state().succeed(replaced, rollback), actor);
    }

    private void fail(DeploymentEntity row, String reason, String actor) {
        Loaded loaded = load(row.id);
        List<EventEnvelope> appended = append(row, loaded, loaded.state().fail(reason), actor);
        if (!appended.isEmpty()) {
            // Now, not at commit: the rollback's insert is checked by the one-in-flight index against
            // this row, and Hibernate would flush that insert before this update.
            deployments.flush();
            rollBackAutomatically(row, appended.getLast());
        }
    }

    /**
     * After a failure in an environment that asks for it, deploys again what ran before. A failed
     * rollback is not rolled back in turn: that could go back and forth forever.
     */
    private void rollBackAutomatically(DeploymentEntity failed, EventEnvelope failure) {
        EnvironmentEntity environment = environments.findById(failed.environment);
        if (!environment.autoRollbackOnFailure || failed.rollbackFromVersion != null) {
            return;
        }
        Optional<KnownArtefactEntity> previous = inventory.find(failed.environment, failed.application)
                .filter(running -> !running.version.equals(failed.version))
                .flatMap(running -> artefacts.unrevoked(failed.application, running.version));
        if (previous.isEmpty()) {
            LOG.infof("deployment %s failed, and no other deployable version of %s ran in %s to roll back to",
                    failed.id, failed.application, failed.environment);
            return;
        }
        open(previous.get(), environment, ORCHESTRATOR, null, Optional.of(new Rollback(failed.version,
                "automatic rollback: deployment " + failed.id + " of version " + failed.version + " failed: "
                        + failed.reason)), failure.id().toString());
    }

    private Loaded load(String id) {
        List<EventEnvelope> history = store.load(id);
        return new Loaded(Deployment.fold(history.stream().map(e -> (DeploymentEvent) e.data()).toList()),
                history.isEmpty() ? null : history.getLast().id().toString());
    }

    /** Appends after what was loaded, in the deployment's story, and brings the read model along. */
    private List<EventEnvelope> append(DeploymentEntity row, Loaded loaded, List<DeploymentEvent> events,
                                       String actor) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<EventEnvelope> appended = store.append(row.id, loaded.state().version(), events,
                new EventMetadata(row.correlationId, loaded.lastEventId(), actor, null));
        appended.forEach(envelope -> project(row, envelope));
        return appended;
    }

    private void project(DeploymentEntity row, EventEnvelope envelope) {
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
        return KUBERNETES.equals(targetKind) ? config.kubernetes().timeout() : config.externalTimeout();
    }
}
