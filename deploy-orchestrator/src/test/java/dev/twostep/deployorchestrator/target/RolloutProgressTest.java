package dev.twostep.deployorchestrator.target;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutProgressTest {

    private static Deployment withStatus(long observed, int total, int updated, int available) {
        return new DeploymentBuilder().withNewSpec().withReplicas(3).endSpec()
                .withStatus(new DeploymentStatusBuilder().withObservedGeneration(observed).withReplicas(total)
                        .withUpdatedReplicas(updated).withAvailableReplicas(available).build())
                .build();
    }

    @Test
    void aRolloutIsDoneWhenEveryReplicaIsUpdatedAndAvailableForTheObservedGeneration() {
        assertThat(RolloutProgress.of(withStatus(4, 3, 3, 3), 4)).isInstanceOf(RolloutProgress.Done.class);
    }

    @Test
    void aRolloutWaitsForTheControllerToObserveTheChange() {
        assertThat(RolloutProgress.of(withStatus(3, 3, 3, 3), 4)).isInstanceOf(RolloutProgress.Pending.class);
        assertThat(RolloutProgress.of(new DeploymentBuilder().withNewSpec().endSpec().build(), 1))
                .isInstanceOf(RolloutProgress.Pending.class);
    }

    @Test
    void aRolloutWaitsForUpdatedAvailableReplicasAndForOldOnesToGo() {
        assertThat(RolloutProgress.of(withStatus(4, 3, 2, 3), 4)).isEqualTo(
                new RolloutProgress.Pending("2 of 3 replicas updated"));
        assertThat(RolloutProgress.of(withStatus(4, 4, 3, 3), 4)).isEqualTo(
                new RolloutProgress.Pending("1 old replicas still running"));
        assertThat(RolloutProgress.of(withStatus(4, 3, 3, 1), 4)).isEqualTo(
                new RolloutProgress.Pending("1 of 3 updated replicas available"));
    }

    @Test
    void aRolloutPastItsProgressDeadlineHasFailed() {
        Deployment stuck = withStatus(4, 3, 1, 0);
        stuck.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
                .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"checkout-7d9\" has timed out progressing.").build());
        assertThat(RolloutProgress.of(stuck, 4)).isInstanceOf(RolloutProgress.Failed.class);
    }
}
