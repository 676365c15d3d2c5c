package dev.twostep.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxWindowTest {

    @Test
    void aRetentionLongerThanTheRedeliveryHorizonIsAccepted() {
        assertThat(new InboxWindow(Duration.ofDays(14), Duration.ofDays(7)).retention()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void aRetentionThatKafkaCouldOutwaitIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> new InboxWindow(Duration.ofDays(7), Duration.ofDays(7)))
                .hasMessageContaining("twostep.inbox.retention must be longer than twostep.inbox.redelivery-horizon");
        assertThatThrownBy(() -> new InboxWindow(Duration.ofHours(1), Duration.ofDays(7)))
                .hasMessageContaining("PT1H");
    }

    @Test
    void zeroOrNegativePeriodsAreRefused() {
        assertThatThrownBy(() -> new InboxWindow(Duration.ZERO, Duration.ofDays(7)))
                .hasMessageContaining("twostep.inbox.retention");
        assertThatThrownBy(() -> new InboxWindow(Duration.ofDays(14), Duration.ofDays(-1)))
                .hasMessageContaining("twostep.inbox.redelivery-horizon must be a positive duration");
    }
}
