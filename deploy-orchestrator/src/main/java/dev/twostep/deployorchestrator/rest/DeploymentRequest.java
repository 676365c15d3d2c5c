package dev.twostep.deployorchestrator.rest;

import dev.twostep.deployorchestrator.service.DeploymentService.Order;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record DeploymentRequest(@NotBlank @Size(max = 253) String application,
                                @NotBlank @Size(max = 128) String version,
                                @NotBlank @Size(max = 63) String environment) {

    Order toOrder() {
        return new Order(application, version, environment);
    }
}
