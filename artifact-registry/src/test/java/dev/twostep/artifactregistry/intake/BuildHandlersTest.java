package dev.twostep.artifactregistry.intake;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's handlers on a list of publications, without Kafka or Quarkus. */
class BuildHandlersTest {

    private static final Instant FINISHED = Instant.parse("2026-11-20T10:00:00Z");

    private record Publication(ArtefactPublished candidate, EventMetadata metadata) {
    }

    private final List<Publication> published = new ArrayList<>();
    private final BuildHandlers handlers =
            new BuildHandlers((candidate, metadata) -> published.add(new Publication(candidate, metadata)));

    @Test
    void everyArtefactOfASuccessfulBuildIsPublishedInTheBuildsStory() {
        EventEnvelope envelope = envelope(build(Outcome.SUCCEEDED,
                new BuiltArtefact("shop", "1.0.0", "sha256:" + "1".repeat(64), "pkg:oci/shop", List.of("checkout")),
                new BuiltArtefact("shop-worker", "1.0.0", "sha256:" + "2".repeat(64), "pkg:oci/worker", List.of())));

        handlers.handlers().dispatch(envelope);

        assertThat(published).extracting(p -> p.candidate().name()).containsExactly("shop", "shop-worker");
        ArtefactPublished shop = published.getFirst().candidate();
        assertThat(shop.buildId()).isEqualTo("build-7");
        assertThat(shop.commit()).isEqualTo("c0ffee1");
        assertThat(shop.features()).containsExactly("checkout");
        assertThat(shop.publishedAt()).isEqualTo(envelope.time());
        assertThat(published).allSatisfy(p -> {
            assertThat(p.metadata().correlationId()).isEqualTo("build-story");
            assertThat(p.metadata().causationId()).isEqualTo(envelope.id().toString());
            assertThat(p.metadata().actor()).isEqualTo("artifact-registry");
        });
    }

    @Test
    void aFailedBuildPublishesNothing() {
        BuildCompleted failed = build(Outcome.FAILED,
                new BuiltArtefact("shop", "1.0.0", "sha256:" + "1".repeat(64), "pkg:oci/shop", List.of()));

        handlers.buildCompleted(failed, envelope(failed));

        assertThat(published).isEmpty();
    }

    @Test
    void eventsOtherThanBuildsAreIgnored() {
        handlers.handlers().dispatch(new EventEnvelope(UUID.randomUUID(), "/twostep/release-controller", "checkout",
                1, FINISHED, null, null, "someone", null, new FeatureDefined("checkout", "shop", null)));

        assertThat(published).isEmpty();
    }

    private static BuildCompleted build(Outcome outcome, BuiltArtefact... artefacts) {
        return new BuildCompleted("build-7", "test-ci", "https://ci.example.com/runs/7", "https://git.example.com/shop",
                "c0ffee1", "main", outcome, FINISHED.minusSeconds(60), FINISHED, List.of(artefacts));
    }

    private static EventEnvelope envelope(BuildCompleted build) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/build-service", build.buildId(), 1, FINISHED,
                "build-story", null, "ci", null, build);
    }
}
