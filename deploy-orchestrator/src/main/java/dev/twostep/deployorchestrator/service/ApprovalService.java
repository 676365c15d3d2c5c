package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.approval.Approval;
import dev.twostep.deployorchestrator.view.ApprovalEntity;
import dev.twostep.deployorchestrator.view.ApprovalRepository;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import dev.twostep.deployorchestrator.view.KnownArtefactEntity;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.ConcurrencyConflict;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

@ApplicationScoped
public class ApprovalService {

    private final EventStore store;
    private final ApprovalRepository approvals;
    private final EnvironmentRepository environments;
    private final KnownArtefactService artefacts;

    ApprovalService(EventStore store, ApprovalRepository approvals, EnvironmentRepository environments,
                    KnownArtefactService artefacts) {
        this.store = store;
        this.approvals = approvals;
        this.environments = environments;
        this.artefacts = artefacts;
    }

    /** @return true for a new approval, false when this approver had already approved */
    @Transactional
    public boolean approve(PromotionApproved wanted, String actor) {
        if (environments.findByIdOptional(wanted.environment()).isEmpty()) {
            throw ProblemException.notFound("no environment " + wanted.environment());
        }
        KnownArtefactEntity artefact = artefacts.deployable(wanted.application(), wanted.version());
        Approval approval = Approval.fold(store.load(wanted.aggregateId()).stream()
                .map(e -> (PromotionApproved) e.data()).toList());
        List<PromotionApproved> events = approval.approve(wanted);
        if (events.isEmpty()) {
            return false;
        }
        // The approval belongs to the story of the build that made the artefact.
        List<EventEnvelope> appended;
        try {
            appended = store.append(wanted.aggregateId(), approval.version(), events,
                    new EventMetadata(artefact.correlationId, artefact.publishedEventId, actor, null));
        } catch (ConcurrencyConflict e) {
            throw ProblemException.conflict("another approval of version " + wanted.version() + " of "
                    + wanted.application() + " for " + wanted.environment() + " was recorded at the same time; retry");
        }
        ApprovalEntity row = new ApprovalEntity();
        row.environment = wanted.environment();
        row.application = wanted.application();
        row.version = wanted.version();
        row.approvedBy = wanted.approvedBy();
        row.approvedAt = appended.getLast().time();
        approvals.persist(row);
        return true;
    }
}
