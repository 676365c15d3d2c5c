package dev.twostep.artifactregistry.rest;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** A direct publish of an artefact built outside a tracked build; provenance is still required. */
public record PublishRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/-]*",
                message = "must start with a letter or digit and use only letters, digits and . _ / -")
        String name,
        @NotBlank @Size(max = 128) @Pattern(regexp = "\\S+", message = "must not contain whitespace")
        String version,
        @NotBlank @Pattern(regexp = "sha256:[0-9a-f]{64}", message = "must be sha256: followed by 64 lowercase hex characters")
        String digest,
        @NotBlank @Size(max = 2000) @Pattern(regexp = "\\S+", message = "must not contain whitespace")
        String uri,
        @NotBlank @Size(max = 2000) @Pattern(regexp = "\\S+", message = "must not contain whitespace")
        String repository,
        @NotBlank @Pattern(regexp = "[0-9a-fA-F]{7,64}", message = "must be 7 to 64 hexadecimal characters")
        String commit,
        @Size(max = 200) String buildId,
        @Size(max = 200) List<@NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
                message = "must be a feature key: letters, digits and . _ -") String> features) {

    public ArtefactPublished toEvent(Instant now) {
        return new ArtefactPublished(name, version, digest, uri, buildId, null, repository, commit.toLowerCase(),
                features == null ? List.of() : features, now);
    }
}
