package dev.twostep.deployorchestrator.rest;

import dev.twostep.deployorchestrator.service.DeploymentService.Report;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** What an external target reports about a deployment it carried out; a failure says why. */
public record StatusReport(@NotNull Report status, @Size(max = 2000) String reason) {
}
