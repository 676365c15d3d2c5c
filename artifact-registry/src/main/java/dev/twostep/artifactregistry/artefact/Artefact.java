package dev.twostep.artifactregistry.artefact;

import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRejected;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;

import java.util.List;
import java.util.Optional;

/**
 * One artefact version. Versions are immutable: name + version + digest is published once, a
 * republish with the same digest changes nothing, and one with another digest is refused and recorded.
 */
public record Artefact(Optional<ArtefactPublished> published, boolean revoked, long version) {

    public static final Artefact NONE = new Artefact(Optional.empty(), false, 0);

    public sealed interface Outcome {
        List<ArtefactEvent> events();

        record Published(List<ArtefactEvent> events) implements Outcome {
        }

        record Unchanged() implements Outcome {
            public List<ArtefactEvent> events() {
                return List.of();
            }
        }

        /** Refused, but written down so the attempt is visible in the log. */
        record Rejected(List<ArtefactEvent> events, String existingDigest) implements Outcome {
        }

        record Revoked(List<ArtefactEvent> events) implements Outcome {
        }

        record Unknown() implements Outcome {
            public List<ArtefactEvent> events() {
                return List.of();
            }
        }
    }

    public static Artefact fold(List<? extends ArtefactEvent> history) {
        Artefact state = NONE;
        for (ArtefactEvent event : history) {
            state = state.evolve(event);
        }
        return state;
    }

    public Artefact evolve(ArtefactEvent event) {
        return switch (event) {
            case ArtefactPublished publishedNow -> new Artefact(Optional.of(publishedNow), false, version + 1);
            case ArtefactRevoked ignored -> new Artefact(published, true, version + 1);
            case ArtefactRejected ignored -> new Artefact(published, revoked, version + 1);
        };
    }

    public Outcome publish(ArtefactPublished candidate) {
        if (published.isEmpty()) {
            return new Outcome.Published(List.of(candidate));
        }
        String existing = published.get().digest();
        if (existing.equals(candidate.digest())) {
            return new Outcome.Unchanged();
        }
        return new Outcome.Rejected(List.of(new ArtefactRejected(candidate.name(), candidate.version(),
                candidate.digest(), existing, candidate.buildId(),
                "version " + candidate.version() + " of " + candidate.name()
                        + " is already published with digest " + existing)), existing);
    }

    public Outcome revoke(String name, String versionName, String reason) {
        if (published.isEmpty()) {
            return new Outcome.Unknown();
        }
        if (revoked) {
            return new Outcome.Unchanged();
        }
        return new Outcome.Revoked(List.of(new ArtefactRevoked(name, versionName, reason)));
    }
}
