package dev.twostep.buildservice.rest;

import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.rules.ArtefactName;
import dev.twostep.events.rules.ArtefactVersion;
import dev.twostep.events.rules.CommitSha;
import dev.twostep.events.rules.Digest;
import dev.twostep.events.rules.FeatureKey;
import dev.twostep.events.rules.Location;
import dev.twostep.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** A finished CI run as a CI system posts it. Field rules are checked at the edge, before anything is written. */
public record BuildRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:/#-]*",
                message = "must start with a letter or digit and use only letters, digits and . _ : / # -")
        String buildId,
        @NotBlank @Size(max = 100) String ciSystem,
        @NotBlank @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
        String runUrl,
        @Location String repository,
        @CommitSha String commit,
        @Size(max = 500) String branch,
        @NotNull Outcome outcome,
        @NotNull Instant startedAt,
        @NotNull Instant finishedAt,
        @NotNull @Size(max = 500) List<@NotNull @Valid ArtefactRequest> artefacts) {

    public record ArtefactRequest(
            @ArtefactName String name,
            @ArtefactVersion String version,
            @Digest String digest,
            @Location String uri,
            @Size(max = 200) List<@FeatureKey String> features) {
    }

    /** The rules that span fields; each names the field the client must fix. */
    public BuildCompleted toEvent() {
        if (finishedAt.isBefore(startedAt)) {
            throw ProblemException.invalid("finishedAt", "must not be before startedAt");
        }
        if (outcome == Outcome.FAILED && !artefacts.isEmpty()) {
            throw ProblemException.invalid("artefacts", "a FAILED build carries no artefacts");
        }
        if (outcome == Outcome.SUCCEEDED && artefacts.isEmpty()) {
            throw ProblemException.invalid("artefacts", "a SUCCEEDED build lists at least one artefact");
        }
        long distinct = artefacts.stream().map(a -> a.name() + "@" + a.version()).distinct().count();
        if (distinct != artefacts.size()) {
            throw ProblemException.invalid("artefacts", "each name and version may appear only once");
        }
        return new BuildCompleted(buildId, ciSystem, runUrl, repository, commit.toLowerCase(), branch, outcome,
                startedAt, finishedAt, artefacts.stream()
                .map(a -> new BuiltArtefact(a.name(), a.version(), a.digest(), a.uri(),
                        a.features() == null ? List.of() : a.features()))
                .toList());
    }
}
