package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.view.KnownArtefactEntity;
import dev.twostep.deployorchestrator.view.KnownArtefactRepository;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.EventEnvelope;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Optional;

/**
 * The artefacts the artifact-registry announced, as far as deploying needs them: what to run
 * (digest, uri), where it came from (commit, build) and the build's story to continue.
 */
@ApplicationScoped
public class KnownArtefactService {

    private final KnownArtefactRepository artefacts;

    KnownArtefactService(KnownArtefactRepository artefacts) {
        this.artefacts = artefacts;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(EventEnvelope envelope) {
        switch (envelope.data()) {
            case ArtefactPublished published when artefacts.find(published.name(), published.version()).isEmpty() ->
                    artefacts.persist(row(published, envelope));
            case ArtefactRevoked revoked -> artefacts.find(revoked.name(), revoked.version()).ifPresent(row -> {
                row.revoked = true;
                row.revokedReason = revoked.reason();
            });
            default -> {
                // A republish (versions are immutable) or a rejected publish changes no known version.
            }
        }
    }

    /** The artefact, or the client's mistake: 422 when it is unknown, 409 when it was revoked. */
    public KnownArtefactEntity deployable(String application, String version) {
        KnownArtefactEntity artefact = artefacts.find(application, version).orElseThrow(() ->
                ProblemException.unprocessable("no artefact " + application + " version " + version
                        + " is known; it must be published to the artifact-registry first"));
        if (artefact.revoked) {
            throw ProblemException.conflict("artefact " + application + " version " + version
                    + " was revoked and must not be deployed: " + artefact.revokedReason);
        }
        return artefact;
    }

    public Optional<KnownArtefactEntity> unrevoked(String application, String version) {
        return artefacts.find(application, version).filter(artefact -> !artefact.revoked);
    }

    private static KnownArtefactEntity row(ArtefactPublished published, EventEnvelope envelope) {
        KnownArtefactEntity row = new KnownArtefactEntity();
        row.application = published.name();
        row.version = published.version();
        row.digest = published.digest();
        row.uri = published.uri();
        row.commit = published.commit();
        row.buildId = published.buildId();
        row.correlationId = envelope.correlationId() != null ? envelope.correlationId() : envelope.id().toString();
        row.publishedEventId = envelope.id().toString();
        row.publishedAt = published.publishedAt() != null ? published.publishedAt() : envelope.time();
        return row;
    }
}
