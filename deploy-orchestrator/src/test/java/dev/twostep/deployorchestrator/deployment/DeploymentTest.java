package dev.twostep.deployorchestrator.deployment;

import dev.twostep.deployorchestrator.deployment.Deployment.Rollback;
import dev.twostep.events.DeploymentEvent;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.refusals.Refused;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Given these events, when this command, then these events (or a refusal). No Quarkus. */
class DeploymentTest {

    private static final String DIGEST = "sha256:" + "c".repeat(64);
    private static final DeploymentRequested REQUESTED = new DeploymentRequested("d-1", "checkout", "1.4.0", "prod",
            DIGEST, "3f2a9c1", "gh-4711", "alice");
    private static final DeploymentStarted STARTED = new DeploymentStarted("d-1", "checkout", "1.4.0", "prod",
            DIGEST, "3f2a9c1", "external");
    private static final DeploymentSucceeded SUCCEEDED = new DeploymentSucceeded("d-1", "checkout", "1.4.0", "prod",
            DIGEST, "3f2a9c1", "1.3.0");
    private static final DeploymentFailed FAILED = new DeploymentFailed("d-1", "checkout", "1.4.0", "prod",
            DIGEST, "3f2a9c1", "pods crash-loop");

    private static List<DeploymentEvent> given(List<DeploymentEvent> history,
                                               Function<Deployment, List<DeploymentEvent>> when) {
        return when.apply(Deployment.fold(history));
    }

    @Test
    void aNewDeploymentIsRequested() {
        assertThat(given(List.of(), d -> d.request(REQUESTED))).containsExactly(REQUESTED);
    }

    @Test
    void aDeploymentIsRequestedOnlyOnce() {
        assertThatThrownBy(() -> given(List.of(REQUESTED), d -> d.request(REQUESTED)))
                .isInstanceOf(Refused.class);
    }

    @Test
    void aRequestedDeploymentStartsWithTheArtefactsDigestAndCommit() {
        assertThat(given(List.of(REQUESTED), d -> d.start("external"))).containsExactly(STARTED);
    }

    @Test
    void aNewDeploymentOpensRequestedAndStarted() {
        assertThat(given(List.of(), d -> d.open(REQUESTED, "external"))).containsExactly(REQUESTED, STARTED);
        assertThatThrownBy(() -> given(List.of(REQUESTED), d -> d.open(REQUESTED, "external")))
                .isInstanceOf(Refused.class);
    }

    @Test
    void onlyARequestedDeploymentStarts() {
        assertThatThrownBy(() -> given(List.of(), d -> d.start("external"))).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> given(List.of(REQUESTED, STARTED), d -> d.start("external")))
                .isInstanceOf(Refused.class);
    }

    @Test
    void aStartedDeploymentSucceedsNamingTheVersionItReplaced() {
        assertThat(given(List.of(REQUESTED, STARTED), d -> d.succeed("1.3.0", Optional.empty())))
                .containsExactly(SUCCEEDED);
    }

    @Test
    void aSucceededRollbackAlsoSaysItRolledBack() {
        assertThat(given(List.of(REQUESTED, STARTED),
                d -> d.succeed("1.5.0", Optional.of(new Rollback("1.5.0", "error rate")))))
                .containsExactly(
                        new DeploymentSucceeded("d-1", "checkout", "1.4.0", "prod", DIGEST, "3f2a9c1", "1.5.0"),
                        new DeploymentRolledBack("d-1", "checkout", "prod", "1.5.0", "1.4.0", "error rate"));
    }

    @Test
    void aRequestedDeploymentCannotSucceedBeforeItStarted() {
        assertThatThrownBy(() -> given(List.of(REQUESTED), d -> d.succeed(null, Optional.empty())))
                .isInstanceOf(Refused.class);
    }

    @Test
    void aStartedDeploymentFailsWithItsReason() {
        assertThat(given(List.of(REQUESTED, STARTED), d -> d.fail("pods crash-loop"))).containsExactly(FAILED);
    }

    @Test
    void aRequestedDeploymentCanFailBeforeItStarts() {
        assertThat(given(List.of(REQUESTED), d -> d.fail("pods crash-loop"))).containsExactly(FAILED);
    }

    @Test
    void aRepeatedOutcomeChangesNothing() {
        assertThat(given(List.of(REQUESTED, STARTED, SUCCEEDED), d -> d.succeed("1.3.0", Optional.empty()))).isEmpty();
        assertThat(given(List.of(REQUESTED, STARTED, FAILED), d -> d.fail("again"))).isEmpty();
    }

    @Test
    void aFinishedDeploymentCannotChangeItsOutcome() {
        assertThatThrownBy(() -> given(List.of(REQUESTED, STARTED, SUCCEEDED), d -> d.fail("late")))
                .isInstanceOf(Refused.class).hasMessageContaining("SUCCEEDED");
        assertThatThrownBy(() -> given(List.of(REQUESTED, STARTED, FAILED), d -> d.succeed(null, Optional.empty())))
                .isInstanceOf(Refused.class).hasMessageContaining("FAILED");
    }

    @Test
    void theFoldCountsEveryEventAndKeepsTheRequest() {
        Deployment deployment = Deployment.fold(List.of(REQUESTED, STARTED, SUCCEEDED));
        assertThat(deployment.status()).isEqualTo(Deployment.Status.SUCCEEDED);
        assertThat(deployment.version()).isEqualTo(3);
        assertThat(deployment.requested()).contains(REQUESTED);
    }
}
