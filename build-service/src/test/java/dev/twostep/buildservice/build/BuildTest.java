package dev.twostep.buildservice.build;

import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BuildTest {

    private final BuildCompleted run = new BuildCompleted("b-1", "jenkins", "https://ci/1", "https://git/r",
            "abcdef1", "main", Outcome.SUCCEEDED, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:05:00Z"),
            List.of(new BuiltArtefact("checkout", "1.0.0", "sha256:" + "a".repeat(64), "pkg:oci/checkout", List.of())));

    @Test
    void givenNoHistoryWhenReportedThenTheBuildIsRecorded() {
        assertThat(Build.NONE.decide(run)).isEqualTo(new Build.Decision.Record(List.of(run)));
    }

    @Test
    void givenTheSameRunWhenReportedAgainThenNothingNewHappens() {
        Build recorded = Build.fold(List.of(run));

        assertThat(recorded.version()).isEqualTo(1);
        assertThat(recorded.decide(run)).isInstanceOf(Build.Decision.AlreadyRecorded.class);
    }

    @Test
    void givenARecordedRunWhenTheSameIdComesWithOtherContentThenItIsAConflict() {
        BuildCompleted other = new BuildCompleted("b-1", "jenkins", "https://ci/1", "https://git/r", "abcdef2",
                "main", Outcome.SUCCEEDED, run.startedAt(), run.finishedAt(), run.artefacts());

        assertThat(Build.fold(List.of(run)).decide(other)).isInstanceOf(Build.Decision.Conflict.class);
    }
}
