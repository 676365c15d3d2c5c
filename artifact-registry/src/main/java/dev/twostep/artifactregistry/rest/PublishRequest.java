package dev.twostep.artifactregistry.rest;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.rules.ArtefactName;
import dev.twostep.events.rules.ArtefactVersion;
import dev.twostep.events.rules.CommitSha;
import dev.twostep.events.rules.Digest;
import dev.twostep.events.rules.FeatureKey;
import dev.twostep.events.rules.Location;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** A direct publish of an artefact built outside a tracked build; provenance is still required. */
public record PublishRequest(
        @ArtefactName String name,
        @ArtefactVersion String version,
        @Digest String digest,
        @Location String uri,
        @Location String repository,
        @CommitSha String commit,
        @Size(max = 200) String buildId,
        @Size(max = 200) List<@FeatureKey String> features) {

    public ArtefactPublished toEvent(Instant now) {
        return new ArtefactPublished(name, version, digest, uri, buildId, null, repository, commit.toLowerCase(),
                features == null ? List.of() : features, now);
    }
}
