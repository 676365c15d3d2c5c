package dev.twostep.releasecontroller.intake;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.Window;
import dev.twostep.events.TwostepEvent;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.service.DeployedService.CodeChange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The release-controller's handlers on an in-memory stand-in for its services, without Kafka or Quarkus. */
class DeliveryHandlersTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    private final InMemoryEffects effects = new InMemoryEffects();
    private final DeliveryHandlers handlers = new DeliveryHandlers(effects);

    @Test
    void aPublishedArtefactDefinesEachOfItsFeaturesWithItsApplicationInTheArtefactsStory() {
        EventEnvelope envelope = envelope(published("shop", "1.0.0", List.of("checkout", "wishlist")));

        handlers.handlers().dispatch(envelope);

        assertThat(effects.discovered).extracting(Discovered::feature).containsExactly(
                new FeatureDefined("checkout", "shop", null), new FeatureDefined("wishlist", "shop", null));
        assertThat(effects.discovered).extracting(Discovered::metadata)
                .containsOnly(EventMetadata.causedBy(envelope, "release-controller"));
        assertThat(effects.enforced).as("no environment runs the version yet").isEmpty();
    }

    @Test
    void anArtefactWhoseVersionWasDeployedFirstEnforcesTheCodeWhereItRuns() {
        effects.runningBeforeTheirArtefact = List.of("staging", "production");
        ArtefactPublished published = published("shop", "1.0.0", List.of());

        handlers.artefactPublished(published, envelope(published));

        assertThat(effects.enforced).containsExactly(new CodeChange("staging", "shop", null),
                new CodeChange("production", "shop", null));
    }

    @Test
    void aDeploymentThatReplacesAVersionEnforcesTheCodeItTookAwayAndARepeatChangesNothing() {
        handlers.handlers().dispatch(envelope(succeeded("d-1", "1.0.0")));
        EventEnvelope upgrade = envelope(succeeded("d-2", "2.0.0"));
        handlers.handlers().dispatch(upgrade);
        handlers.handlers().dispatch(envelope(succeeded("d-2", "2.0.0")));

        assertThat(effects.enforced).containsExactly(new CodeChange("staging", "shop", null),
                new CodeChange("staging", "shop", "1.0.0"));
        assertThat(effects.enforcedIn.getLast()).isEqualTo(EventMetadata.causedBy(upgrade, "release-controller"));
    }

    @Test
    void aSuccessThatNamesNoEnvironmentTellsNothing() {
        DeploymentSucceeded nowhere = new DeploymentSucceeded("d-1", "shop", "1.0.0", null, null, null, null);

        handlers.deploymentSucceeded(nowhere, envelope(nowhere));

        assertThat(effects.running).isEmpty();
        assertThat(effects.enforced).isEmpty();
    }

    @Test
    void aDecisionIsCarriedOutInTheDecisionsStory() {
        RolloutAdvanceDecided advance = new RolloutAdvanceDecided("dec-1", "ro-1", "checkout", "staging", 1, 5, 25, 1,
                new Evidence(new Window(AT.minusSeconds(60), AT), new Counts(100, 1), new Counts(100, 1), "test", 0,
                        1, "control", "fine"));
        EventEnvelope envelope = envelope(advance);

        handlers.handlers().dispatch(envelope);

        assertThat(effects.carriedOut).containsExactly(advance);
        assertThat(effects.carriedOutIn).containsExactly(EventMetadata.causedBy(envelope, "release-controller"));
    }

    @Test
    void eventsWithoutAHandlerAreIgnored() {
        handlers.handlers().dispatch(envelope(new ArtefactRevoked("shop", "1.0.0", "CVE-2026-4711")));
        handlers.handlers().dispatch(envelope(new DeploymentFailed("d-3", "shop", "3.0.0", "staging", null, null,
                "image pull failed")));

        assertThat(effects.discovered).isEmpty();
        assertThat(effects.running).isEmpty();
        assertThat(effects.carriedOut).isEmpty();
    }

    private static ArtefactPublished published(String application, String version, List<String> features) {
        return new ArtefactPublished(application, version, "sha256:" + "1".repeat(64), "pkg:oci/" + application,
                "build-1", "https://ci.example.com/runs/1", "https://git.example.com/shop", "c0ffee1", features, AT);
    }

    private static DeploymentSucceeded succeeded(String deploymentId, String version) {
        return new DeploymentSucceeded(deploymentId, "shop", version, "staging", null, null, null);
    }

    private static EventEnvelope envelope(TwostepEvent event) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/test", event.aggregateId(), 1, AT, "story-1", null,
                "someone", null, event);
    }

    private record Discovered(FeatureDefined feature, EventMetadata metadata) {
    }

    /** Remembers what runs where, as the services do, and every effect asked of it. */
    private static final class InMemoryEffects implements DeliveryHandlers.Effects {
        private final List<Discovered> discovered = new ArrayList<>();
        private final Map<String, String> running = new HashMap<>();
        private final List<CodeChange> enforced = new ArrayList<>();
        private final List<EventMetadata> enforcedIn = new ArrayList<>();
        private final List<RolloutDecisionEvent> carriedOut = new ArrayList<>();
        private final List<EventMetadata> carriedOutIn = new ArrayList<>();
        private List<String> runningBeforeTheirArtefact = List.of();

        @Override
        public void discover(FeatureDefined feature, EventMetadata metadata) {
            discovered.add(new Discovered(feature, metadata));
        }

        @Override
        public List<String> recordArtefact(ArtefactPublished published) {
            return runningBeforeTheirArtefact;
        }

        @Override
        public Optional<CodeChange> recordDeployment(DeploymentSucceeded succeeded, EventEnvelope envelope) {
            String where = succeeded.environment() + "/" + succeeded.application();
            String replaced = running.put(where, succeeded.version());
            return succeeded.version().equals(replaced) ? Optional.empty()
                    : Optional.of(new CodeChange(succeeded.environment(), succeeded.application(), replaced));
        }

        @Override
        public void enforceDeployedCode(CodeChange change, EventMetadata metadata) {
            enforced.add(change);
            enforcedIn.add(metadata);
        }

        @Override
        public void carryOut(RolloutDecisionEvent decision, EventMetadata metadata) {
            carriedOut.add(decision);
            carriedOutIn.add(metadata);
        }
    }
}
