package dev.twostep.events;

import java.time.Instant;
import java.util.List;

/** Facts published by the build-service on {@link Topics#BUILD_EVENTS}. Aggregate: one build. */
public sealed interface BuildEvent extends TwostepEvent {

    String buildId();

    @Override
    default String aggregateId() {
        return buildId();
    }

    enum Outcome { SUCCEEDED, FAILED }

    /** One artefact as a build reports it. */
    record BuiltArtefact(String name, String version, String digest, String uri, List<String> features) {
        public BuiltArtefact {
            Require.text(name, "name");
            Require.text(version, "version");
            Require.text(digest, "digest");
            features = Require.list(features);
        }
    }

    /** A CI run finished; a successful one lists the artefacts it produced. */
    record BuildCompleted(String buildId, String ciSystem, String runUrl, String repository, String commit,
                          String branch, Outcome outcome, Instant startedAt, Instant finishedAt,
                          List<BuiltArtefact> artefacts) implements BuildEvent {
        public BuildCompleted {
            Require.text(buildId, "buildId");
            Require.text(repository, "repository");
            Require.text(commit, "commit");
            Require.present(outcome, "outcome");
            artefacts = Require.list(artefacts);
        }
    }
}
