package dev.twostep.deployorchestrator.rest;

import dev.twostep.events.DeploymentEvent.PromotionApproved;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The approver is the caller, never a field: nobody can approve in someone else's name. */
public record ApprovalRequest(@NotBlank @Size(max = 253) String application,
                              @NotBlank @Size(max = 128) String version) {

    PromotionApproved toEvent(String environment, String approvedBy) {
        return new PromotionApproved(application, version, environment, approvedBy);
    }
}
