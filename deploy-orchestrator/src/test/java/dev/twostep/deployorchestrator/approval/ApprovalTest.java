package dev.twostep.deployorchestrator.approval;

import dev.twostep.events.DeploymentEvent.PromotionApproved;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApprovalTest {

    private static final PromotionApproved BY_BOB = new PromotionApproved("checkout", "1.4.0", "prod", "bob");

    @Test
    void aFirstApprovalIsRecorded() {
        assertThat(Approval.fold(List.of()).approve(BY_BOB)).containsExactly(BY_BOB);
    }

    @Test
    void theSameApproverCountsOnce() {
        assertThat(Approval.fold(List.of(BY_BOB)).approve(BY_BOB)).isEmpty();
        assertThat(Approval.fold(List.of(BY_BOB)).version()).isEqualTo(1);
    }

    @Test
    void onlyAnApprovalBySomeoneElseAllowsTheRequester() {
        assertThat(Approval.allowsRequestBy(Set.of(), "alice")).isFalse();
        assertThat(Approval.allowsRequestBy(Set.of("alice"), "alice")).isFalse();
        assertThat(Approval.allowsRequestBy(Set.of("alice", "bob"), "alice")).isTrue();
    }
}
