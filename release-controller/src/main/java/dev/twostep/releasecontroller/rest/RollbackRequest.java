package dev.twostep.releasecontroller.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record RollbackRequest(@NotBlank(message = "is required: say why") @Size(max = 1000) String reason) {
}
