package dev.twostep.releasecontroller.evaluation;

import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.releasecontroller.evaluation.Evaluation.Failure;
import dev.twostep.releasecontroller.evaluation.Evaluation.Success;
import dev.twostep.releasecontroller.release.Bucketing;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlagEvaluatorTest {

    private static Flag released(Audience audience) {
        return Flag.defined("f").with("prod", FlagRelease.of(audience, 7, "ro-1", Bucketing.FLAGD_FRACTIONAL));
    }

    @Test
    void reasonsFollowTheAudience() {
        assertThat(FlagEvaluator.evaluate(Flag.defined("f"), "prod", "u")).extracting("value", "reason")
                .containsExactly(false, "DISABLED");
        assertThat(FlagEvaluator.evaluate(released(new Audience(100, List.of())), "prod", null))
                .extracting("value", "variant", "reason").containsExactly(true, "on", "STATIC");
        assertThat(FlagEvaluator.evaluate(released(Audience.NOBODY), "prod", null))
                .extracting("value", "variant", "reason").containsExactly(false, "off", "STATIC");
        assertThat(FlagEvaluator.evaluate(released(new Audience(0, List.of("alice"))), "prod", "alice"))
                .extracting("value", "reason").containsExactly(true, "TARGETING_MATCH");
    }

    @Test
    void aPercentageSplitsByBucketAndNeedsATargetingKey() {
        Flag flag = released(new Audience(50, List.of()));
        for (String user : List.of("u1", "u2", "u3", "u4", "u5")) {
            Success result = (Success) FlagEvaluator.evaluate(flag, "prod", user);
            assertThat(result.reason()).isEqualTo("SPLIT");
            assertThat(result.value()).isEqualTo(Bucketing.bucket("f", user) < 50_000);
            assertThat(result.metadata()).containsEntry("sequence", 7L).containsEntry("rolloutId", "ro-1");
        }
        assertThat(FlagEvaluator.evaluate(flag, "prod", null)).isInstanceOf(Failure.class)
                .extracting("errorCode").isEqualTo("TARGETING_KEY_MISSING");
    }

    @Test
    void anOlderReleaseNeverReplacesANewerOne() {
        Flag flag = released(new Audience(100, List.of()))
                .with("prod", FlagRelease.of(Audience.NOBODY, 3, null, Bucketing.FLAGD_FRACTIONAL));
        assertThat(flag.environments().get("prod").sequence()).isEqualTo(7);
    }
}
