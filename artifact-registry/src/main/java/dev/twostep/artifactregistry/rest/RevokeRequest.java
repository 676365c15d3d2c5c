package dev.twostep.artifactregistry.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record RevokeRequest(@NotBlank @Size(max = 2000) String reason) {
}
