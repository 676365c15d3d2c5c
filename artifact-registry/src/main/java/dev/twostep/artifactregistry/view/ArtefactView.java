package dev.twostep.artifactregistry.view;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** An artefact version with its provenance, as the API shows it. */
public record ArtefactView(String name, String version, String digest, String uri, Provenance provenance,
                           List<String> features, Instant publishedAt, String status, String revokedReason) {

    public record Provenance(String buildId, String runUrl, String repository, String commit) {
    }

    public static final String PUBLISHED = "PUBLISHED";
    public static final String REVOKED = "REVOKED";

    public static ArtefactView of(ArtefactEntity row) {
        List<String> features = row.features.isEmpty() ? List.of() : Arrays.asList(row.features.split(","));
        return new ArtefactView(row.name, row.version, row.digest, row.uri,
                new Provenance(row.buildId, row.runUrl, row.repository, row.commit), features, row.publishedAt,
                row.status, row.revokedReason);
    }

    public static ArtefactEntity row(ArtefactPublished published) {
        ArtefactEntity row = new ArtefactEntity();
        row.name = published.name();
        row.version = published.version();
        row.digest = published.digest();
        row.uri = published.uri();
        row.buildId = published.buildId();
        row.runUrl = published.runUrl();
        row.repository = published.repository();
        row.commit = published.commit();
        row.features = String.join(",", published.features());
        row.publishedAt = published.publishedAt();
        row.status = PUBLISHED;
        return row;
    }
}
