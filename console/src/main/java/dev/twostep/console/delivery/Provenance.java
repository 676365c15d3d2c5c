package dev.twostep.console.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where one version of an application came from: its artefact and, once its build event has arrived, the build's
 * finish. Events carry no commit time, so the build's finish is where every lead time starts.
 *
 * @param buildFinishedAt null while the build event has not been seen (topics arrive in any order)
 * @param buildEventId    null likewise
 */
public record Provenance(String version, String buildId, String commit, List<String> features, UUID artefactEventId,
                         Instant buildFinishedAt, UUID buildEventId) {

    public Provenance {
        features = features == null ? List.of() : List.copyOf(features);
    }
}
