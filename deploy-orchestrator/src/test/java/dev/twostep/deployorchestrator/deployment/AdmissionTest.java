package dev.twostep.deployorchestrator.deployment;

import dev.twostep.deployorchestrator.deployment.Admission.Facts;
import dev.twostep.deployorchestrator.deployment.Admission.InFlight;
import dev.twostep.deployorchestrator.deployment.Admission.Rules;
import dev.twostep.deployorchestrator.deployment.Admission.Running;
import dev.twostep.refusals.Refused;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Given these facts, when this request or rollback, then admitted or refused. No Quarkus. */
class AdmissionTest {

    private static final Rules DEV = new Rules("dev", null, false, false);
    private static final Rules PROD = new Rules("prod", "staging", true, true);
    private static final Optional<InFlight> NONE_IN_FLIGHT = Optional.empty();
    private static final Optional<InFlight> BUSY = Optional.of(new InFlight("/deployments/d-7", "1.3.0"));
    private static final Facts PROMOTED_AND_APPROVED_BY_BOB = new Facts(NONE_IN_FLIGHT, true, Set.of("bob"));

    private static void request(String requester, Rules rules, Facts facts) {
        Admission.request("checkout", "1.4.0", requester, rules, facts);
    }

    @Test
    void anEnvironmentWithoutRulesAdmitsAnyDeployment() {
        assertThatCode(() -> request("alice", DEV, new Facts(NONE_IN_FLIGHT, false, Set.of())))
                .doesNotThrowAnyException();
    }

    @Test
    void aDeploymentInFlightRefusesAnotherOfTheSameApplication() {
        assertThatThrownBy(() -> request("alice", DEV, new Facts(BUSY, false, Set.of())))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.kind()).isEqualTo(Refused.Kind.CONFLICT))
                .hasMessage("deployment /deployments/d-7 of checkout version 1.3.0 into dev is still in flight");
    }

    @Test
    void aVersionEntersAnEnvironmentOnlyAfterItSucceededInTheOneItPromotesFrom() {
        assertThatThrownBy(() -> request("alice", PROD, new Facts(NONE_IN_FLIGHT, false, Set.of("bob"))))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.kind()).isEqualTo(Refused.Kind.CONFLICT))
                .hasMessageContaining("prod promotes from staging, where version 1.4.0 of checkout has not been");
        assertThatCode(() -> request("alice", PROD, PROMOTED_AND_APPROVED_BY_BOB)).doesNotThrowAnyException();
    }

    @Test
    void anEnvironmentThatRequiresApprovalRefusesAVersionNobodyApproved() {
        assertThatThrownBy(() -> request("alice", PROD, new Facts(NONE_IN_FLIGHT, true, Set.of())))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.kind()).isEqualTo(Refused.Kind.CONFLICT))
                .hasMessageContaining("requires an approval of version 1.4.0 of checkout into prod");
    }

    @Test
    void theRequestersOwnApprovalDoesNotCount() {
        assertThatThrownBy(() -> request("bob", PROD, PROMOTED_AND_APPROVED_BY_BOB))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.kind()).isEqualTo(Refused.Kind.FORBIDDEN))
                .hasMessageContaining("the only approval of version 1.4.0 of checkout into prod is by bob");
        assertThatCode(() -> request("bob", PROD, new Facts(NONE_IN_FLIGHT, true, Set.of("bob", "carol"))))
                .doesNotThrowAnyException();
    }

    @Test
    void aRollbackPutsBackTheVersionThatRanBefore() {
        assertThat(Admission.rollback("checkout", "prod", Optional.of(new Running("1.4.0", "1.3.0")), NONE_IN_FLIGHT))
                .isEqualTo("1.3.0");
    }

    @Test
    void aRollbackNeedsAnotherVersionToHaveRunBefore() {
        assertThatThrownBy(() -> Admission.rollback("checkout", "prod", Optional.empty(), NONE_IN_FLIGHT))
                .isInstanceOf(Refused.class).hasMessageContaining("nothing of checkout runs in prod");
        assertThatThrownBy(() -> Admission.rollback("checkout", "prod", Optional.of(new Running("1.4.0", null)),
                NONE_IN_FLIGHT)).isInstanceOf(Refused.class).hasMessageContaining("nothing to roll back to");
        assertThatThrownBy(() -> Admission.rollback("checkout", "prod", Optional.of(new Running("1.4.0", "1.4.0")),
                NONE_IN_FLIGHT)).isInstanceOf(Refused.class).hasMessageContaining("nothing to roll back to");
    }

    @Test
    void aRollbackWaitsForTheDeploymentInFlight() {
        assertThatThrownBy(() -> Admission.rollback("checkout", "prod", Optional.of(new Running("1.4.0", "1.3.0")),
                BUSY)).isInstanceOf(Refused.class).hasMessageContaining("is still in flight");
    }

    @Test
    void aFailureRollsBackToWhatRanWhereTheEnvironmentAsksForIt() {
        assertThat(Admission.afterFailure(PROD, "1.4.0", false, Optional.of("1.3.0"))).contains("1.3.0");
        assertThat(Admission.afterFailure(DEV, "1.4.0", false, Optional.of("1.3.0"))).isEmpty();
    }

    @Test
    void aFailureRollsBackNeitherAFailedRollbackNorToNothingNorToItself() {
        assertThat(Admission.afterFailure(PROD, "1.3.0", true, Optional.of("1.4.0"))).isEmpty();
        assertThat(Admission.afterFailure(PROD, "1.4.0", false, Optional.empty())).isEmpty();
        assertThat(Admission.afterFailure(PROD, "1.4.0", false, Optional.of("1.4.0"))).isEmpty();
    }
}
