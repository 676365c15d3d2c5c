package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.approval.Approval;
import dev.twostep.deployorchestrator.view.ApprovalEntity;
import dev.twostep.deployorchestrator.view.ApprovalRepository;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import dev.twostep.deployorchestrator.view.KnownArtefactEntity;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ApprovalService {

    private final CommandPath commands;
    private final ApprovalRepository approvals;
    private final EnvironmentRepository environments;
    private final KnownArtefactService artefacts;

    ApprovalService(CommandPath commands, ApprovalRepository approvals, EnvironmentRepository environments,
                    KnownArtefactService artefacts) {
        this.commands = commands;
        this.approvals = approvals;
        this.environments = environments;
        this.artefacts = artefacts;
    }

    /** @return true for a new approval, false when this approver had already approved */
    public boolean approve(PromotionApproved wanted, String actor) {
        return commands.call(() -> {
            if (environments.findByIdOptional(wanted.environment()).isEmpty()) {
                throw ProblemException.notFound("no environment " + wanted.environment());
            }
            KnownArtefactEntity artefact = artefacts.deployable(wanted.application(), wanted.version());
            // The approval belongs to the story of the build that made the artefact.
            EventMetadata story = new EventMetadata(artefact.correlationId, artefact.publishedEventId, actor, null);
            return !commands.decide(wanted.aggregateId(), Approval::fold, approval -> approval.approve(wanted),
                    story, this::project).isEmpty();
        });
    }

    private void project(EventEnvelope approved) {
        PromotionApproved approval = (PromotionApproved) approved.data();
        ApprovalEntity row = new ApprovalEntity();
        row.environment = approval.environment();
        row.application = approval.application();
        row.version = approval.version();
        row.approvedBy = approval.approvedBy();
        row.approvedAt = approved.time();
        approvals.persist(row);
    }
}
