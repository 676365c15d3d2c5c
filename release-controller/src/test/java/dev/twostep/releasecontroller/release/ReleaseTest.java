package dev.twostep.releasecontroller.release;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.refusals.Refused;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Given these events, when this command, then these events (or a refusal). */
class ReleaseTest {

    private static final String KEY = "new-checkout";
    private static final String ROLLOUT = "ro-1";
    private static final Plan PLAN = new Plan(List.of(5.0, 25.0, 100.0), 100, Duration.ofMinutes(5),
            Duration.ofHours(1), new Guard("errorRate", 1.0, 0.95));
    private static final String CURRENT = ReleaseEvent.FLAGD_FRACTIONAL_100K;
    private static final String LEGACY = ReleaseEvent.FLAGD_FRACTIONAL_LEGACY;
    private static final Audience HALF = new Audience(50, List.of("alice"));
    private static final Evidence EVIDENCE = new Evidence(null, new Counts(1000, 5), new Counts(100, 1),
            "two-proportion z-test", 0.4, 1.64, "off arm", "healthy");

    private final List<ReleaseEvent> featureStream = new ArrayList<>(List.of(new FeatureDefined(KEY, "shop", null)));
    private final List<ReleaseEvent> rolloutStream = new ArrayList<>();
    private Bucketing installed = Bucketing.FLAGD_FRACTIONAL;

    private Release given(ReleaseEvent... events) {
        for (ReleaseEvent event : events) {
            (event.aggregateId().equals(KEY) ? featureStream : rolloutStream).add(event);
        }
        return Release.fold(KEY, featureStream, rolloutStream, installed);
    }

    private static Release definedOnly() {
        return Release.fold(KEY, List.of(new FeatureDefined(KEY, "shop", null)), List.of(), Bucketing.FLAGD_FRACTIONAL);
    }

    private static FeatureReleased released(Audience audience, Audience previous, String rolloutId) {
        return released(audience, previous, rolloutId, "why");
    }

    private static FeatureReleased released(Audience audience, Audience previous, String rolloutId, String reason) {
        return new FeatureReleased(KEY, "prod", audience, previous, reason, rolloutId,
                ReleaseEvent.FLAGD_FRACTIONAL_100K);
    }

    private Release inRolloutAtStep(int step) {
        Release release = given(new RolloutStarted(ROLLOUT, KEY, "prod", PLAN),
                released(new Audience(5, List.of()), Audience.NOBODY, ROLLOUT));
        for (int n = 2; n <= step; n++) {
            release = given(released(new Audience(PLAN.steps().get(n - 1), List.of()),
                    new Audience(PLAN.steps().get(n - 2), List.of()), ROLLOUT));
        }
        return release;
    }

    private static RolloutDecisionEvent advance(int step) {
        return new RolloutAdvanceDecided("d-" + step, ROLLOUT, KEY, "prod", step, 0, 0, 1, EVIDENCE);
    }

    @Test
    void settingAnAudienceNeedsTheCodeDeployed() {
        assertThatThrownBy(() -> given().setAudience("prod", HALF, "try", false))
                .isInstanceOf(Refused.class).hasMessageContaining("release needs deploy")
                .extracting(e -> ((Refused) e).kind()).isEqualTo(Refused.Kind.CONFLICT);
    }

    @Test
    void settingAnAudienceOnceDeployedReleasesItWithThePreviousAudienceAndTheBucketing() {
        assertThat(given().setAudience("prod", HALF, "beta", true)).containsExactly(
                new FeatureReleased(KEY, "prod", HALF, Audience.NOBODY, "beta", null,
                        ReleaseEvent.FLAGD_FRACTIONAL_100K));
    }

    @Test
    void aReleaseTakesTheInstallationsBucketingWhereNothingIsSplitYet() {
        installed = Bucketing.FLAGD_FRACTIONAL_LEGACY;
        assertThat(bucketingOf(given().setAudience("prod", HALF, "beta", true))).isEqualTo(LEGACY);
        Release everyoneIn = given(released(new Audience(100, List.of()), Audience.NOBODY, null));
        assertThat(bucketingOf(everyoneIn.startRollout(ROLLOUT, "prod", PLAN, null, true))).isEqualTo(LEGACY);
    }

    @Test
    void aReleaseThatSplitsKeepsItsBucketingWhenTheInstallationSwitchesSoNoUserMoves() {
        installed = Bucketing.FLAGD_FRACTIONAL_LEGACY;
        Release atFivePercent = given(released(new Audience(5, List.of()), Audience.NOBODY, null));

        assertThat(bucketingOf(atFivePercent.setAudience("prod", HALF, "wider", true))).isEqualTo(CURRENT);
        assertThat(bucketingOf(atFivePercent.startRollout(ROLLOUT, "prod", PLAN, null, true))).isEqualTo(CURRENT);
        Release rolledBack = given(new FeatureRolledBack(KEY, "prod", "broken", null, new Audience(5, List.of())));
        assertThat(bucketingOf(rolledBack.setAudience("prod", HALF, "again", true))).isEqualTo(LEGACY);
    }

    /** The bucketing of the release among the events. */
    private static String bucketingOf(List<ReleaseEvent> events) {
        return events.stream().filter(FeatureReleased.class::isInstance).map(e -> ((FeatureReleased) e).bucketing())
                .findFirst().orElseThrow();
    }

    @Test
    void theSameAudienceAgainChangesNothing() {
        assertThat(given(released(HALF, Audience.NOBODY, null)).setAudience("prod", HALF, "again", true)).isEmpty();
    }

    @Test
    void switchingOffNeedsNoDeployedCode() {
        assertThat(given(released(HALF, Audience.NOBODY, null)).setAudience("prod", Audience.NOBODY, "off", false))
                .hasSize(1);
    }

    @Test
    void anUnknownFeatureIsNotFound() {
        assertThatThrownBy(() -> Release.fold(KEY, List.of(), List.of(), installed).rollBack("prod", "x"))
                .extracting(e -> ((Refused) e).kind()).isEqualTo(Refused.Kind.NOT_FOUND);
    }

    @Test
    void rollingBackSwitchesOffAndRecordsWhatItWas() {
        assertThat(given(released(HALF, Audience.NOBODY, null)).rollBack("prod", "broken"))
                .containsExactly(new FeatureRolledBack(KEY, "prod", "broken", null, HALF));
        assertThat(definedOnly().rollBack("prod", "already off")).isEmpty();
    }

    @Test
    void codeGoneRollsBackAReleasedFeatureAndAbortsItsRollout() {
        assertThat(inRolloutAtStep(2).codeGone("prod")).containsExactly(
                new FeatureRolledBack(KEY, "prod", Release.CODE_GONE, null, new Audience(25, List.of())),
                new RolloutAborted(ROLLOUT, KEY, "prod", Release.CODE_GONE));
        assertThat(definedOnly().codeGone("prod")).isEmpty();
    }

    @Test
    void aRolloutStartsAtItsFirstStep() {
        assertThat(given().startRollout(ROLLOUT, "prod", PLAN, null, true)).containsExactly(
                new RolloutStarted(ROLLOUT, KEY, "prod", PLAN),
                new FeatureReleased(KEY, "prod", new Audience(5, List.of()), Audience.NOBODY,
                        "rollout ro-1 starts at step 1 (5%)", ROLLOUT, ReleaseEvent.FLAGD_FRACTIONAL_100K));
    }

    @Test
    void aRolloutMovesThePercentageAndKeepsTheListedUsersIn() {
        Audience qa = new Audience(0, List.of("qa-1"));
        Release release = given(released(qa, Audience.NOBODY, null));
        assertThat(release.startRollout(ROLLOUT, "prod", PLAN, null, true).get(1))
                .isEqualTo(released(new Audience(5, List.of("qa-1")), qa, ROLLOUT,
                        "rollout ro-1 starts at step 1 (5%)"));
        release = given(new RolloutStarted(ROLLOUT, KEY, "prod", PLAN),
                released(new Audience(5, List.of("qa-1")), qa, ROLLOUT));
        assertThat(release.decide(advance(1))).singleElement().extracting("audience")
                .isEqualTo(new Audience(25, List.of("qa-1")));
    }

    @Test
    void onlyOneRolloutAtATimeAndOnlyWhereTheCodeRuns() {
        assertThatThrownBy(() -> inRolloutAtStep(1).startRollout("ro-2", "prod", PLAN, null, true))
                .hasMessageContaining("already active");
        assertThatThrownBy(() -> given().startRollout("ro-2", "prod", PLAN, null, false))
                .hasMessageContaining("release needs deploy");
        assertThat(inRolloutAtStep(1).startRollout("ro-2", "staging", PLAN, null, true)).hasSize(2);
    }

    @Test
    void anAdvanceWidensToTheNextStep() {
        Release release = inRolloutAtStep(1);
        assertThat(release.state().activeRolloutIn("prod")).get().extracting(Rollout::step).isEqualTo(1);
        assertThat(release.decide(advance(1))).containsExactly(released(new Audience(25, List.of()),
                new Audience(5, List.of()), ROLLOUT, "rollout ro-1 advances to step 2 (25%): decision d-1"));
    }

    @Test
    void anAdvanceOfTheLastStepCompletesTheRollout() {
        Release release = inRolloutAtStep(3);
        assertThat(release.decide(advance(3))).containsExactly(new RolloutCompleted(ROLLOUT, KEY, "prod"));
        assertThat(given(new RolloutCompleted(ROLLOUT, KEY, "prod")).state().activeRolloutIn("prod")).isEmpty();
    }

    @Test
    void aDuplicateOrLateOrForeignDecisionChangesNothing() {
        Release atStep2 = inRolloutAtStep(2);
        assertThat(atStep2.decide(advance(1))).as("duplicate of the advance that made step 2").isEmpty();
        assertThat(atStep2.decide(new RolloutAdvanceDecided("d-x", "ro-other", KEY, "prod", 2, 0, 0, 1, EVIDENCE)))
                .isEmpty();
        Release ended = given(new RolloutAborted(ROLLOUT, KEY, "prod", "by hand"));
        assertThat(ended.decide(advance(2))).as("late: the rollout ended").isEmpty();
    }

    @Test
    void aHoldChangesNothing() {
        assertThat(inRolloutAtStep(2).decide(
                new RolloutHoldDecided("d-h", ROLLOUT, KEY, "prod", 2, 25, 25, 1, EVIDENCE))).isEmpty();
    }

    @Test
    void aRollbackDecisionSwitchesOffAndAbortsTheRollout() {
        assertThat(inRolloutAtStep(2).decide(
                new RolloutRollbackDecided("d-r", ROLLOUT, KEY, "prod", 2, 25, 0, 1, EVIDENCE))).containsExactly(
                new FeatureRolledBack(KEY, "prod", "rollout ro-1 rolled back at step 2: decision d-r", "d-r",
                        new Audience(25, List.of())),
                new RolloutAborted(ROLLOUT, KEY, "prod", "decision d-r rolled it back"));
    }

    @Test
    void aPromotionTakesTheRolloutOneStepOnSayingWhoseReasonItWas() {
        Release heldAtStep1 = given(new RolloutStarted(ROLLOUT, KEY, "prod", PLAN),
                released(new Audience(5, List.of("alice")), Audience.NOBODY, ROLLOUT));

        assertThat(heldAtStep1.promoteRollout("prod", "low traffic, checked by hand")).containsExactly(
                released(new Audience(25, List.of("alice")), new Audience(5, List.of("alice")), ROLLOUT,
                        "rollout ro-1 advances to step 2 (25%): promoted by hand: low traffic, checked by hand"));
    }

    @Test
    void aPromotionOfTheLastStepCompletesTheRollout() {
        assertThat(inRolloutAtStep(3).promoteRollout("prod", "done")).containsExactly(
                new RolloutCompleted(ROLLOUT, KEY, "prod"));
    }

    @Test
    void thereIsNothingToPromoteWithoutAnActiveRollout() {
        assertThatThrownBy(() -> definedOnly().promoteRollout("prod", "go"))
                .isInstanceOfSatisfying(Refused.class,
                        refused -> assertThat(refused.kind()).isEqualTo(Refused.Kind.CONFLICT))
                .hasMessage("no rollout of new-checkout is active in prod");
        assertThatThrownBy(() -> given(new RolloutStarted(ROLLOUT, KEY, "prod", PLAN),
                new RolloutAborted(ROLLOUT, KEY, "prod", "by hand")).promoteRollout("prod", "go"))
                .isInstanceOf(Refused.class);
    }

    @Test
    void aManualAudienceOrRollbackDuringARolloutAbortsIt() {
        assertThat(inRolloutAtStep(1).setAudience("prod", HALF, "by hand", true)).containsExactly(
                released(HALF, new Audience(5, List.of()), null, "by hand"),
                new RolloutAborted(ROLLOUT, KEY, "prod", "audience set by hand: by hand"));
        assertThat(inRolloutAtStep(1).rollBack("prod", "stop")).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("FeatureRolledBack", "RolloutAborted");
    }
}
