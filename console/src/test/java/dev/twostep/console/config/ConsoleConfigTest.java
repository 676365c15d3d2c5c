package dev.twostep.console.config;

import dev.twostep.console.notification.NotificationConfig;
import dev.twostep.testing.MappedConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.twostep.testing.MappedConfig.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

class ConsoleConfigTest {

    @Test
    void aConsoleThatSetsNothingGetsTheDocumentedDefaults() {
        ConsoleConfig console = MappedConfig.of(ConsoleConfig.class, Map.of());
        assertThat(console.publicUrl()).isEqualTo("http://localhost:8080");
        assertThat(console.maxWindow()).isEqualTo(Duration.ofDays(366));
        assertThat(console.gaugeWindow()).isEqualTo(Duration.ofDays(30));
        assertThat(console.gaugeEvery()).isEqualTo("60s");
        NotificationConfig notifications = MappedConfig.of(NotificationConfig.class, Map.of());
        assertThat(notifications.attempts()).isEqualTo(8);
        assertThat(notifications.retrySchedule().delayAfter(1)).contains(Duration.ofSeconds(10));
    }

    @Test
    void aBadValueStopsTheStartNamingTheKeyAndTheRule() {
        assertRefused(ConsoleConfig.class, "twostep.console.public-url", "localhost:8080",
                "must be an http or https URL");
        assertRefused(ConsoleConfig.class, "twostep.console.max-window", "PT0S", "must be a positive duration");
        assertRefused(NotificationConfig.class, "twostep.console.notifications.attempts", "0", "must be at least 1");
        assertRefused(NotificationConfig.class, "twostep.console.notifications.read-timeout", "-1s",
                "must be a positive duration");
    }
}
