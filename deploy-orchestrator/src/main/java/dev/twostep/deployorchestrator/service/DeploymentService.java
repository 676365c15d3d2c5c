package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.deployment.Admission;
import dev.twostep.deployorchestrator.deployment.Deployment;
import dev.twostep.deployorchestrator.deployment.Deployment.Rollback;
import dev.twostep.deployorchestrator.deployment.Deployment.Status;
import dev.twostep.deployorchestrator.view.ApprovalRepository;
import dev.twostep.deployorchestrator.view.DeploymentEntity;
import dev.twostep.deployorchestrator.view.DeploymentRepository;
import dev.twostep.deployorchestrator.view.DeploymentView;
import dev.twostep.deployorchestrator.view.EnvironmentEntity;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import dev.twostep.deployorchestrator.view.InventoryRepository;
import dev.twostep.deployorchestrator.view.KnownArtefactEntity;
import dev.twostep.events.DeploymentEvent;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.ConcurrencyConflict;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Admits, carries out and concludes deployments. Each command is one transaction: it reads the
 * facts, lets {@link Admission} and {@link Deployment} decide, appends the events, and has
 * {@link DeploymentProjection} bring the read model (deployment, inventory) along, so events, read
 * model and outbox change together. A refusal throws before anything is written, or rolls it all back.
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
    private final DeploymentProjection projection;

    DeploymentService(EventStore store, DeploymentRepository deployments, KnownArtefactService artefacts,
                      EnvironmentRepository environments, InventoryRepository inventory, ApprovalRepository approvals,
                      DeploymentProjection projection) {
        this.store = store;
        this.deployments = deployments;
        this.artefacts = artefacts;
        this.environments = environments;
        this.inventory = inventory;
        this.approvals = approvals;
        this.projection = projection;
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
        Admission.Facts facts = new Admission.Facts(inFlight(order.application(), environment.name),
                environment.promotesFrom != null
                        && deployments.hasSucceeded(order.application(), order.version(), environment.promotesFrom),
                approvals.approvers(environment.name, order.application(), order.version()));
        try {
            Admission.request(order.application(), order.version(), actor, rulesOf(environment), facts);
        } catch (Admission.Refused refused) {
            throw problemOf(refused);
        }
        DeploymentEntity row = open(artefact, environment, actor, idempotencyKey, Optional.empty(),
                artefact.publishedEventId);
        return new Accepted(DeploymentView.of(row), true);
    }

    /** Deploys again, as a new deployment, the version that ran before the one that runs now. */
    @Transactional
    public DeploymentView rollback(String environmentName, String application, String reason, String actor) {
        EnvironmentEntity environment = environments.findByIdOptional(environmentName)
                .orElseThrow(() -> ProblemException.notFound("no environment " + environmentName));
        Optional<Admission.Running> running = running(environmentName, application);
        String previous;
        try {
            previous = Admission.rollback(application, environmentName, running,
                    inFlight(application, environmentName));
        } catch (Admission.Refused refused) {
            throw problemOf(refused);
        }
        KnownArtefactEntity artefact = artefacts.deployable(application, previous);
        return DeploymentView.of(open(artefact, environment, actor, null,
                Optional.of(new Rollback(running.orElseThrow().version(), reason)), artefact.publishedEventId));
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
            deployments.flush();
        } catch (Deployment.Refused e) {
            throw ProblemException.conflict(e.getMessage());
        } catch (ConcurrencyConflict | OptimisticLockException e) {
            throw ProblemException.conflict("deployment " + id + " changed while this report was applied (the "
                    + "orchestrator may have just timed it out); GET it and report again if it is still STARTED");
        }
        return DeploymentView.of(row);
    }

    /**
     * The orchestrator's own verdict on a started deployment; a deployment that already finished stays so.
     * The supervisor calls it in the transaction that claimed the deployment.
     */
    @Transactional
    public void concludeStarted(String id, Optional<String> failure) {
        DeploymentEntity row = deployments.findById(id);
        if (row == null || !Status.STARTED.name().equals(row.status)) {
            return;
        }
        failure.ifPresentOrElse(reason -> fail(row, reason, ORCHESTRATOR), () -> succeed(row, ORCHESTRATOR));
    }

    /**
     * The Kubernetes Deployment now asks for the artefact's image; its controller must reach this generation.
     * Like every write of a deployment's row, it applies only to the row version that was read: a writer that
     * read the deployment before it concluded is refused at commit, and the deployment stays concluded.
     */
    @Transactional
    public void recordImageSet(String id, long generation) {
        deployments.findById(id).targetGeneration = generation;
    }

    private static Admission.Rules rulesOf(EnvironmentEntity environment) {
        return new Admission.Rules(environment.name, environment.promotesFrom, environment.requiresApproval,
                environment.autoRollbackOnFailure);
    }

    /** Read without a lock: the one-in-flight index refuses a second one that this read missed. */
    private Optional<Admission.InFlight> inFlight(String application, String environment) {
        return deployments.inFlight(application, environment)
                .map(busy -> new Admission.InFlight(DeploymentView.urlOf(busy.id), busy.version));
    }

    /** What runs, locked (see {@link InventoryRepository#lock}), with the version it replaced. */
    private Optional<Admission.Running> running(String environment, String application) {
        return inventory.lock(environment, application).map(running -> new Admission.Running(running.version,
                deployments.findById(running.deploymentId).replacedVersion));
    }

    private static ProblemException problemOf(Admission.Refused refused) {
        return switch (refused.kind()) {
            case CONFLICT -> ProblemException.conflict(refused.getMessage());
            case FORBIDDEN -> new ProblemException(403, "Forbidden", refused.getMessage(), List.of());
        };
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
            // Two requests raced past the in-flight check; the one-in-flight index stopped the second.
            LOG.debugf(e, "deployment %s refused at insert", row.id);
            throw ProblemException.conflict("another deployment of " + artefact.application + " into "
                    + environment.name + " is in flight, or the Idempotency-Key is taken");
        }
        return row;
    }

    private void succeed(DeploymentEntity row, String actor) {
        Loaded loaded = load(row.id);
        // Read without a lock: only the deployment in flight, this one, changes what runs here. Locking it
        // before the append could deadlock with the supervisor failing this deployment and rolling back.
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

    /** After a failure, where the environment asks for it, deploys again what ran before. */
    private void rollBackAutomatically(DeploymentEntity failed, EventEnvelope failure) {
        EnvironmentEntity environment = environments.findById(failed.environment);
        Optional<String> running = running(failed.environment, failed.application).map(Admission.Running::version);
        Optional<String> previous = Admission.afterFailure(rulesOf(environment), failed.version,
                failed.rollbackFromVersion != null, running);
        if (previous.isEmpty()) {
            return;
        }
        Optional<KnownArtefactEntity> artefact = artefacts.unrevoked(failed.application, previous.get());
        if (artefact.isEmpty()) {
            LOG.infof("deployment %s failed, and version %s of %s, which ran before in %s, is revoked: "
                    + "nothing to roll back to", failed.id, previous.get(), failed.application, failed.environment);
            return;
        }
        open(artefact.get(), environment, ORCHESTRATOR, null, Optional.of(new Rollback(failed.version,
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
        appended.forEach(envelope -> projection.project(row, envelope));
        return appended;
    }
}
