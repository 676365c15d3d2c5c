package dev.twostep.outbox;

import dev.twostep.testing.MappedConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.twostep.testing.MappedConfig.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbox module's settings: the defaults a service gets without a line, and a bad value named with its rule. */
class OutboxConfigTest {

    @Test
    void aServiceThatSetsNothingGetsTheDocumentedDefaults() {
        RelayConfig relay = MappedConfig.of(RelayConfig.class, Map.of());
        assertThat(relay.enabled()).isTrue();
        assertThat(relay.batchSize()).isEqualTo(2000);
        assertThat(relay.idlePoll()).isEqualTo(Duration.ofMillis(500));
        assertThat(MappedConfig.of(IntakeConfig.class, Map.of()).attempts()).isEqualTo(3);
        assertThat(MappedConfig.of(CatchUpConfig.class, Map.of()).within()).isEqualTo(Duration.ofSeconds(2));
        InboxConfig inbox = MappedConfig.of(InboxConfig.class, Map.of());
        assertThat(inbox.window()).isEqualTo(new InboxWindow(Duration.ofDays(14), Duration.ofDays(7)));
        assertThat(inbox.retentionEvery()).isEqualTo("1h");
    }

    @Test
    void valuesAreReadInQuarkusShortForms() {
        RelayConfig relay = MappedConfig.of(RelayConfig.class, Map.of("twostep.outbox.relay.idle-poll", "250ms"));
        assertThat(relay.idlePoll()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aBadValueStopsTheStartNamingTheKeyAndTheRule() {
        assertRefused(RelayConfig.class, "twostep.outbox.relay.batch-size", "0", "must be at least 1");
        assertRefused(RelayConfig.class, "twostep.outbox.relay.batch-size", "1000000", "must be at most 100000");
        assertRefused(RelayConfig.class, "twostep.outbox.relay.idle-poll", "0s", "must be at least 1 ms");
        assertRefused(RelayConfig.class, "twostep.outbox.relay.idle-poll", "5m", "must be at most 1 minute");
        assertRefused(IntakeConfig.class, "twostep.intake.attempts", "0", "must be at least 1");
        assertRefused(CatchUpConfig.class, "twostep.catch-up.within", "-1s", "must not be negative");
        assertRefused(ServiceConfig.class, "twostep.service.name", "Build Service", "must be a lower-case name");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheKey() {
        assertThatThrownBy(() -> MappedConfig.of(RelayConfig.class, Map.of("twostep.outbox.relay.batch-size", "many")))
                .hasMessageContaining("twostep.outbox.relay.batch-size");
    }

    @Test
    void aServiceMustSayWhoItIs() {
        assertThatThrownBy(() -> MappedConfig.of(ServiceConfig.class, Map.of()))
                .hasMessageContaining("twostep.service.name");
    }
}
