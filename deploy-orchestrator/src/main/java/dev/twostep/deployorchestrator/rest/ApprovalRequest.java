package dev.twostep.deployorchestrator.rest;

import dev.twostep.events.DeploymentEvent.PromotionApproved;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record ApprovalRequest(@NotBlank @Size(max = 253) String application,
                              @NotBlank @Size(max = 128) String version,
                              @NotBlank @Size(max = 200) String approvedBy) {

    PromotionApproved toEvent(String environment) {
        return new PromotionApproved(application, version, environment, approvedBy);
    }
}
