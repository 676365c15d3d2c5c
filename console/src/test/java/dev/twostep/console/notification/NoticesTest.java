package dev.twostep.console.notification;

import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.Forecast;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.Window;
import dev.twostep.events.TwostepEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NoticesTest {

    static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    static EventEnvelope envelope(TwostepEvent data) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/test", data.aggregateId(), 3, AT, "corr-1", null, "bob",
                null, data);
    }

    static EventEnvelope failed(String environment) {
        return envelope(new DeploymentFailed("d-1", "checkout", "1.4.0", environment, "sha256:ab", "c0ffee1",
                "image pull back-off"));
    }

    static EventEnvelope held() {
        Evidence evidence = new Evidence(new Window(AT.minusSeconds(60), AT), new Counts(1000, 10), new Counts(100, 1),
                "always-valid", 0.9, 0.5, null, "treatment 1.0% of 100 vs control 1.0% of 1,000, upper bound +0.90pp"
                + " > 0.5pp at 95%; needs about 2,400 more requests, 40 min at the current 1 req/s", null, null,
                new Forecast(2400, 1.0, 2400L));
        return envelope(new RolloutHoldDecided("dec-1", "ro-1", "new-payment-form", "prod", 2, 10, 50, 1, evidence));
    }

    private static Subscription subscription(Set<String> types, Set<String> environments, Instant since) {
        return new Subscription(UUID.randomUUID(), "https://hooks.example.com/", types, environments, Format.CLOUDEVENTS,
                since);
    }

    @Test
    void aDeploymentFailureIsOneNoticeThatCarriesTheEventItself() {
        EventEnvelope event = failed("prod");

        List<Notice> notices = Notices.of(event, List.of());

        assertThat(notices).singleElement().satisfies(notice -> {
            assertThat(notice.id()).isEqualTo(event.id());
            assertThat(notice.type()).isEqualTo("dev.twostep.deployment.failed.v1");
            assertThat(notice.environment()).isEqualTo("prod");
            assertThat(notice.story()).isEqualTo("corr-1");
            assertThat(notice.event().getExtension("correlationid")).isEqualTo("corr-1");
            assertThat(notice.summary()).isEqualTo("checkout 1.4.0 -> prod failed: image pull back-off");
        });
    }

    @Test
    void eventsNobodyNeedsToHearAboutGiveNoNotice() {
        EventEnvelope released = envelope(new FeatureReleased("f", "prod", new Audience(10, List.of()), Audience.NOBODY,
                "try", null, "flagd-fractional-v2"));

        assertThat(Notices.mayNotify(released.data())).isFalse();
        assertThat(Notices.of(released, List.of("prod"))).isEmpty();
    }

    @Test
    void aSuccessWhereAnApprovalEnvironmentPromotesFromAsksForAnApprovalThere() {
        EventEnvelope success = envelope(new DeploymentSucceeded("d-2", "checkout", "1.4.0", "staging", "sha256:ab",
                "c0ffee1", "1.3.0"));

        List<Notice> notices = Notices.of(success, List.of("prod"));
        List<Notice> again = Notices.of(success, List.of("prod"));

        assertThat(notices).extracting(Notice::type).containsExactly("dev.twostep.deployment.succeeded.v1",
                NotificationTypes.APPROVAL_NEEDED);
        Notice approval = notices.get(1);
        assertThat(approval.environment()).isEqualTo("prod");
        assertThat(approval.id()).as("the same on every replica and redelivery").isEqualTo(again.get(1).id())
                .isNotEqualTo(success.id());
        assertThat(approval.event().getSource()).hasToString("/twostep/console");
        assertThat(approval.event().getExtension("causationid")).isEqualTo(success.id().toString());
        assertThat(new String(approval.event().getData().toBytes(), StandardCharsets.UTF_8))
                .contains("\"environment\":\"prod\"").contains("\"promotesFrom\":\"staging\"");
        assertThat(approval.summary()).startsWith("approval needed: checkout 1.4.0 runs in staging and goes on to prod");
    }

    @Test
    void aHoldSaysWhatTheStepStillNeeds() {
        assertThat(Notices.of(held(), List.of()).getFirst().summary())
                .startsWith("hold new-payment-form@prod step 2 (10%)")
                .contains("needs about 2,400 more requests, 40 min");
    }

    @Test
    void aRollbackBecauseTheCodeLeftSaysSo() {
        EventEnvelope back = envelope(new FeatureRolledBack("new-payment-form", "prod", "code no longer deployed",
                null, new Audience(100, List.of())));

        assertThat(Notices.of(back, List.of()).getFirst().summary()).contains("new-payment-form@prod")
                .contains("code no longer deployed");
    }

    @Test
    void aSubscriptionMatchesItsTypesInItsEnvironmentsFromItsCreationOn() {
        Notice prod = Notices.of(failed("prod"), List.of()).getFirst();
        Notice dev = Notices.of(failed("dev"), List.of()).getFirst();
        Set<String> failures = Set.of(NotificationTypes.DEPLOYMENT_FAILED);

        assertThat(subscription(failures, Set.of("prod"), AT).matches(prod)).isTrue();
        assertThat(subscription(failures, Set.of("prod"), AT).matches(dev)).isFalse();
        assertThat(subscription(failures, Set.of(), AT).matches(dev)).as("no environments: every one").isTrue();
        assertThat(subscription(Set.of(NotificationTypes.ROLLOUT_HELD), Set.of(), AT).matches(prod)).isFalse();
        assertThat(subscription(failures, Set.of(), AT.plusSeconds(1)).matches(prod))
                .as("an event from before the subscription").isFalse();
    }
}
