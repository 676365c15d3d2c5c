package dev.twostep.artifactregistry.artefact;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRejected;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ArtefactTest {

    private static ArtefactPublished published(String digest) {
        return new ArtefactPublished("checkout", "1.4.0", digest, "pkg:oci/checkout", "b-1", null, "https://git/r",
                "abcdef1", List.of("f"), Instant.parse("2026-01-01T00:00:00Z"));
    }

    private final String digest = "sha256:" + "a".repeat(64);

    @Test
    void givenNothingWhenPublishedThenTheVersionExists() {
        assertThat(Artefact.NONE.publish(published(digest)).events()).containsExactly(published(digest));
    }

    @Test
    void givenAVersionWhenRepublishedWithTheSameDigestThenNothingHappens() {
        assertThat(Artefact.fold(List.of(published(digest))).publish(published(digest)))
                .isInstanceOf(Artefact.Outcome.Unchanged.class);
    }

    @Test
    void givenAVersionWhenRepublishedWithAnotherDigestThenTheAttemptIsRejectedAndRecorded() {
        String other = "sha256:" + "b".repeat(64);
        Artefact.Outcome outcome = Artefact.fold(List.of(published(digest))).publish(published(other));

        assertThat(outcome).isInstanceOf(Artefact.Outcome.Rejected.class);
        assertThat(outcome.events()).singleElement().isInstanceOfSatisfying(ArtefactRejected.class, rejected -> {
            assertThat(rejected.digest()).isEqualTo(other);
            assertThat(rejected.existingDigest()).isEqualTo(digest);
        });
    }

    @Test
    void givenAVersionWhenRevokedThenItIsRevokedOnceAndAnUnknownVersionCannotBe() {
        Artefact artefact = Artefact.fold(List.of(published(digest)));
        assertThat(artefact.revoke("checkout", "1.4.0", "CVE").events())
                .containsExactly(new ArtefactRevoked("checkout", "1.4.0", "CVE"));
        Artefact revoked = artefact.evolve(new ArtefactRevoked("checkout", "1.4.0", "CVE"));
        assertThat(revoked.revoke("checkout", "1.4.0", "again")).isInstanceOf(Artefact.Outcome.Unchanged.class);
        assertThat(Artefact.NONE.revoke("x", "1", "r")).isInstanceOf(Artefact.Outcome.Unknown.class);
    }
}
