package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.deployment.Admission;
import dev.twostep.deployorchestrator.deployment.Deployment;
import dev.twostep.deployorchestrator.deployment.Deployment.Rollback;
import dev.twostep.deployorchestrator.deployment.Deployment.Status;
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
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.ConcurrencyConflict;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import dev.twostep.refusals.Refused;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Admits, carries out and concludes deployments. Each command is one transaction of the {@link CommandPath}: it
 * reads the facts, lets {@link Admission} and {@link Deployment} decide, appends the events, and has {@link
 * DeploymentProjection} bring the read model along, so events, read model and outbox change together.
 */
@ApplicationScoped
public class DeploymentService {

    /** The actor of what the orchestrator does by itself: timeouts, rollout verdicts, automatic rollbacks. */
    public static final String ORCHESTRATOR = "deploy-orchestrator";
    public static final String EXTERNAL = "external";
    public static final String KUBERNETES = "kubernetes";

    private static final Logger LOG = Logger.getLogger(DeploymentService.class);

    private final CommandPath commands;
    private final DeploymentRepository deployments;
    private final KnownArtefactService artefacts;
    private final EnvironmentRepository environments;
    private final InventoryRepository inventory;
    private final AdmissionFacts facts;
    private final DeploymentProjection projection;

    DeploymentService(CommandPath commands, DeploymentRepository deployments, KnownArtefactService artefacts,
                      EnvironmentRepository environments, InventoryRepository inventory, AdmissionFacts facts,
                      DeploymentProjection projection) {
        this.commands = commands;
        this.deployments = deployments;
        this.artefacts = artefacts;
        this.environments = environments;
        this.inventory = inventory;
        this.facts = facts;
        this.projection = projection;
    }

    /** What a client asks to deploy. */
    public record Order(String application, String version, String environment) {
    }

    /** @param created false when an earlier request with the same Idempotency-Key made the deployment */
    public record Accepted(DeploymentView deployment, boolean created) {
    }

    public enum Report { SUCCEEDED, FAILED }

    public Accepted request(Order order, String actor, String idempotencyKey) {
        return commands.call(() -> admit(order, actor, idempotencyKey));
    }

    private Accepted admit(Order order, String actor, String idempotencyKey) {
        Optional<Accepted> earlier = madeEarlier(order, idempotencyKey);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        KnownArtefactEntity artefact = artefacts.deployable(order.application(), order.version());
        EnvironmentEntity environment = environments.findByIdOptional(order.environment()).orElseThrow(() ->
                ProblemException.unprocessable("no environment " + order.environment()
                        + "; define it first with PUT /environments/" + order.environment()));
        try {
            Admission.request(order.application(), order.version(), actor, AdmissionFacts.rulesOf(environment),
                    facts.of(order, environment));
        } catch (Refused refused) {
            // Each read sees what was committed when it ran: a twin of this request (the client's retry) that
            // committed after the key's check is the deployment in flight now, and the key finds it.
            return madeEarlier(order, idempotencyKey).orElseThrow(() -> refused);
        }
        DeploymentEntity row = open(artefact, environment, actor, idempotencyKey, Optional.empty(),
                artefact.publishedEventId);
        return new Accepted(DeploymentView.of(row), true);
    }

    /** The deployment that a request with this Idempotency-Key made, if any; 422 if that was another order. */
    private Optional<Accepted> madeEarlier(Order order, String idempotencyKey) {
        return Optional.ofNullable(idempotencyKey).flatMap(deployments::byIdempotencyKey).map(row -> {
            if (!new Order(row.application, row.version, row.environment).equals(order)) {
                throw ProblemException.unprocessable("Idempotency-Key " + idempotencyKey
                        + " was already used for another deployment: " + DeploymentView.urlOf(row.id));
            }
            return new Accepted(DeploymentView.of(row), false);
        });
    }

    /** Deploys again, as a new deployment, the version that ran before the one that runs now. */
    public DeploymentView rollback(String environmentName, String application, String reason, String actor) {
        return commands.call(() -> rollBackNow(environmentName, application, reason, actor));
    }

    private DeploymentView rollBackNow(String environmentName, String application, String reason, String actor) {
        EnvironmentEntity environment = environments.findByIdOptional(environmentName)
                .orElseThrow(() -> ProblemException.notFound("no environment " + environmentName));
        Optional<Admission.Running> running = facts.running(environmentName, application);
        String previous = Admission.rollback(application, environmentName, running,
                facts.inFlight(application, environmentName));
        KnownArtefactEntity artefact = artefacts.deployable(application, previous);
        return DeploymentView.of(open(artefact, environment, actor, null,
                Optional.of(new Rollback(running.orElseThrow().version(), reason)), artefact.publishedEventId));
    }

    /** The report of an external target about a deployment it carried out. */
    public DeploymentView report(String id, Report report, String reason, String actor) {
        return commands.call(() -> apply(id, report, reason, actor));
    }

    private DeploymentView apply(String id, Report report, String reason, String actor) {
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
        } catch (OptimisticLockException e) {
            // The row moved since it was read (the orchestrator may have just timed the deployment out): decide again.
            throw new ConcurrencyConflict(id, e);
        }
        return DeploymentView.of(row);
    }

    /**
     * The orchestrator's own verdict on a started deployment; a deployment that already finished stays so.
     * The supervisor calls it in the transaction that claimed the deployment.
     */
    public void concludeStarted(String id, Optional<String> failure) {
        commands.run(() -> {
            DeploymentEntity row = deployments.findById(id);
            if (row != null && Status.STARTED.name().equals(row.status)) {
                failure.ifPresentOrElse(reason -> fail(row, reason, ORCHESTRATOR), () -> succeed(row, ORCHESTRATOR));
            }
        });
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

    /** Requests and starts a new deployment: both are decided now, the target does the rest. */
    private DeploymentEntity open(KnownArtefactEntity artefact, EnvironmentEntity environment, String actor,
                                  String idempotencyKey, Optional<Rollback> rollback, String causationId) {
        DeploymentRequested requested = new DeploymentRequested(UUID.randomUUID().toString(), artefact.application,
                artefact.version, environment.name, artefact.digest, artefact.commit, artefact.buildId, actor);
        DeploymentEntity row = DeploymentProjection.newRow(requested, artefact, environment, idempotencyKey, rollback);
        decide(row, actor, causationId, deployment -> deployment.open(requested, environment.targetKind));
        try {
            deployments.persist(row);
            deployments.flush();
        } catch (PersistenceException e) {
            // Two requests raced past the in-flight check, or past the Idempotency-Key's: the unique indexes stopped
            // the second. A lost race, so the command path decides it again on the winner's row, where the answer is
            // the winner's deployment for the same key and the in-flight refusal for another.
            LOG.debugf(e, "deployment %s lost a race at insert", row.id);
            throw new ConcurrencyConflict(artefact.application + "@" + environment.name, e);
        }
        return row;
    }

    private void succeed(DeploymentEntity row, String actor) {
        // Read without a lock: only the deployment in flight, this one, changes what runs here. Locking it
        // before the append could deadlock with the supervisor failing this deployment and rolling back.
        String replaced = inventory.find(row.environment, row.application).map(running -> running.version)
                .orElse(null);
        Optional<Rollback> rollback = Optional.ofNullable(row.rollbackFromVersion)
                .map(from -> new Rollback(from, row.rollbackReason));
        decide(row, actor, null, deployment -> deployment.succeed(replaced, rollback));
    }

    private void fail(DeploymentEntity row, String reason, String actor) {
        List<EventEnvelope> appended = decide(row, actor, null, deployment -> deployment.fail(reason));
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
        Optional<String> running = facts.running(failed.environment, failed.application)
                .map(Admission.Running::version);
        Optional<String> previous = Admission.afterFailure(AdmissionFacts.rulesOf(environment), failed.version,
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

    /**
     * Decides on the deployment in the caller's transaction and brings its row along. The events continue the
     * deployment's story: caused by its latest event, or by {@code causationId} for a new deployment.
     */
    private List<EventEnvelope> decide(DeploymentEntity row, String actor, String causationId,
                                       Function<Deployment, List<DeploymentEvent>> decision) {
        return commands.decide(row.id, Deployment::fold, decision, latest -> new EventMetadata(row.correlationId,
                        latest.map(event -> event.id().toString()).orElse(causationId), actor, null),
                envelope -> projection.project(row, envelope));
    }
}
