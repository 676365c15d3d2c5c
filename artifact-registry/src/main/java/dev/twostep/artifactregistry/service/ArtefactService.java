package dev.twostep.artifactregistry.service;

import dev.twostep.artifactregistry.artefact.Artefact;
import dev.twostep.artifactregistry.view.ArtefactRepository;
import dev.twostep.artifactregistry.view.ArtefactView;
import dev.twostep.artifactregistry.view.NewestFirst;
import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Decides on artefact versions and keeps the read model in the same transaction as the events. */
@ApplicationScoped
public class ArtefactService {

    private final EventStore store;
    private final CommandPath commands;
    private final ArtefactRepository artefacts;

    ArtefactService(EventStore store, CommandPath commands, ArtefactRepository artefacts) {
        this.store = store;
        this.commands = commands;
        this.artefacts = artefacts;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Artefact.Outcome publish(ArtefactPublished candidate, EventMetadata metadata) {
        return decideAndAppend(candidate.name(), candidate.version(), metadata,
                artefact -> artefact.publish(candidate));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Artefact.Outcome revoke(String name, String version, String reason, EventMetadata metadata) {
        return decideAndAppend(name, version, metadata, artefact -> artefact.revoke(name, version, reason));
    }

    private Artefact.Outcome decideAndAppend(String name, String version, EventMetadata metadata,
                                             Function<Artefact, Artefact.Outcome> decision) {
        CommandPath.Loaded<Artefact> artefact = commands.load(ArtefactEvent.aggregateId(name, version),
                Artefact::fold);
        Artefact.Outcome outcome = decision.apply(artefact.state());
        commands.append(artefact.versions(), outcome.events(), metadata, this::project);
        return outcome;
    }

    /** Applies one event to the read model; also used to rebuild it from the event store. */
    void project(EventEnvelope envelope) {
        switch ((ArtefactEvent) envelope.data()) {
            case ArtefactPublished published -> artefacts.persist(ArtefactView.row(published));
            case ArtefactRevoked revoked -> artefacts.find(revoked.name(), revoked.version()).ifPresent(row -> {
                row.status = ArtefactView.REVOKED;
                row.revokedReason = revoked.reason();
            });
            case ArtefactEvent.ArtefactRejected ignored -> {
                // A refused publish changes no version; the event itself is the record of it.
            }
        }
    }

    /** Throws the read model away and replays every stored event into it. */
    @Transactional
    public long rebuildReadModel() {
        artefacts.deleteAll();
        artefacts.flush();
        long[] replayed = {0};
        store.replay(envelope -> {
            project(envelope);
            replayed[0]++;
        });
        return replayed[0];
    }

    public Optional<ArtefactView> find(String name, String version) {
        return artefacts.find(name, version).map(ArtefactView::of);
    }

    public List<ArtefactView> versionsOf(String name) {
        return artefacts.versionsOf(name).stream().map(ArtefactView::of).sorted(new NewestFirst()).toList();
    }

    public List<ArtefactView> byCommit(String commit) {
        return artefacts.byCommit(commit).stream().map(ArtefactView::of).toList();
    }
}
