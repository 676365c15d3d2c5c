package dev.twostep.releasecontroller.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of a rollback, an abort or a promotion: why a person did it, which goes into the event. */
public record ReasonRequest(@NotBlank(message = "is required: say why") @Size(max = 1000) String reason) {
}
