package dev.twostep.events;

import java.time.Instant;
import java.util.List;

/**
 * Facts published by the artifact-registry on {@link Topics#ARTEFACT_EVENTS}.
 * Aggregate: one artefact version, keyed {@code name@version}.
 */
public sealed interface ArtefactEvent extends TwostepEvent {

    String name();

    String version();

    @Override
    default String aggregateId() {
        return aggregateId(name(), version());
    }

    static String aggregateId(String name, String version) {
        return name + "@" + version;
    }

    /** An immutable artefact version, with the provenance that links it to its build and commit. */
    record ArtefactPublished(String name, String version, String digest, String uri, String buildId,
                             String runUrl, String repository, String commit, List<String> features,
                             Instant publishedAt) implements ArtefactEvent {
        public ArtefactPublished {
            Require.text(name, "name");
            Require.text(version, "version");
            Require.text(digest, "digest");
            Require.text(repository, "repository");
            Require.text(commit, "commit");
            features = Require.list(features);
        }
    }

    /** The version stays visible but must no longer be deployed. */
    record ArtefactRevoked(String name, String version, String reason) implements ArtefactEvent {
        public ArtefactRevoked {
            Require.text(name, "name");
            Require.text(version, "version");
            Require.text(reason, "reason");
        }
    }

    /**
     * A build tried to publish a version that already exists with another digest. Versions are
     * immutable, so the attempt is refused, and recorded so that nobody loses it silently.
     */
    record ArtefactRejected(String name, String version, String digest, String existingDigest, String buildId,
                            String reason) implements ArtefactEvent {
        public ArtefactRejected {
            Require.text(name, "name");
            Require.text(version, "version");
            Require.text(reason, "reason");
        }
    }
}
