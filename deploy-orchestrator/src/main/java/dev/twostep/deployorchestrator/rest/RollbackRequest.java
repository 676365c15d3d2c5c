package dev.twostep.deployorchestrator.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record RollbackRequest(@NotBlank @Size(max = 2000) String reason) {
}
