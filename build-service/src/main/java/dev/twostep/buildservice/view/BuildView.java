package dev.twostep.buildservice.view;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** A recorded build as the API shows it. */
public record BuildView(String buildId, String ciSystem, String runUrl, String repository, String commit,
                        String branch, Outcome outcome, Instant startedAt, Instant finishedAt,
                        List<BuiltArtefact> artefacts, Instant recordedAt) {

    private static final TypeReference<List<BuiltArtefact>> ARTEFACTS = new TypeReference<>() {
    };

    public static BuildView of(BuildEntity row) {
        try {
            return new BuildView(row.buildId, row.ciSystem, row.runUrl, row.repository, row.commit, row.branch,
                    Outcome.valueOf(row.outcome), row.startedAt, row.finishedAt,
                    EventJson.mapper().readValue(row.artefacts, ARTEFACTS), row.recordedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BuildEntity row(BuildCompleted build, Instant recordedAt) {
        BuildEntity row = new BuildEntity();
        row.buildId = build.buildId();
        row.ciSystem = build.ciSystem();
        row.runUrl = build.runUrl();
        row.repository = build.repository();
        row.commit = build.commit();
        row.branch = build.branch();
        row.outcome = build.outcome().name();
        row.startedAt = build.startedAt();
        row.finishedAt = build.finishedAt();
        try {
            row.artefacts = EventJson.mapper().writeValueAsString(build.artefacts());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        row.recordedAt = recordedAt;
        return row;
    }
}
