package dev.twostep.artifactregistry.intake;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.EventHandlers;
import dev.twostep.outbox.EventMetadata;

/** What the registry does with the builds it consumes: every artefact of a successful build becomes a version. */
class BuildHandlers {

    /** Where a version goes to be published: the registry's {@code ArtefactService}, or a list in a unit test. */
    interface Publisher {
        void publish(ArtefactPublished candidate, EventMetadata metadata);
    }

    private final Publisher publisher;

    BuildHandlers(Publisher publisher) {
        this.publisher = publisher;
    }

    EventHandlers handlers() {
        return EventHandlers.on(BuildCompleted.class, this::buildCompleted);
    }

    /** Publishes each artefact of a successful build, in the build's story; a failed build publishes nothing. */
    void buildCompleted(BuildCompleted build, EventEnvelope envelope) {
        if (build.outcome() != Outcome.SUCCEEDED) {
            return;
        }
        EventMetadata metadata = EventMetadata.causedBy(envelope, "artifact-registry");
        for (BuiltArtefact artefact : build.artefacts()) {
            publisher.publish(new ArtefactPublished(artefact.name(), artefact.version(), artefact.digest(),
                    artefact.uri(), build.buildId(), build.runUrl(), build.repository(), build.commit(),
                    artefact.features(), envelope.time()), metadata);
        }
    }
}
