package dev.twostep.buildservice.cdevents;

import java.time.Instant;
import java.util.List;

/**
 * The facts this service takes from the CDEvents it understands. Each names the artefact by its purl, which is
 * how an {@code artifact.packaged} and the {@code build.finished} that produced it find each other.
 */
public sealed interface CDEvent {

    String purl();

    /** The CDEvents chain the event belongs to (spec v0.4 and later), used as the correlation id. */
    String chainId();

    /** A build finished; {@code purl} is its {@code artifactId}, or null when it named no artefact. */
    record BuildFinished(String buildId, String source, String purl, Instant finishedAt, String chainId)
            implements CDEvent {
    }

    /** An artefact was packaged from a change (a commit of a repository). */
    record ArtefactPackaged(String purl, ArtefactPurl artefact, String commit, String repository,
                            List<String> features, String source, Instant packagedAt, String chainId)
            implements CDEvent {
    }

    record ArtefactPublished(String purl, Instant publishedAt, String chainId) implements CDEvent {
    }
}
