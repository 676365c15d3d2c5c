package dev.twostep.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * The console's settings under {@code twostep.console}; notifications have theirs one level down
 * ({@code twostep.console.notifications}, {@link dev.twostep.console.notification.NotificationConfig}).
 */
@ConfigMapping(prefix = "twostep.console")
public interface ConsoleConfig {

    /** The console's address as people reach it: the links in notifications start with it. */
    @WithDefault("http://localhost:8080")
    @Pattern(regexp = "https?://\\S+", message = "must be an http or https URL such as http://localhost:8080")
    String publicUrl();

    /** The longest window the delivery and suspects APIs serve; a longer one is a 400 that names {@code from}. */
    @WithDefault("P366D")
    @DurationMin(nanos = 1, message = "must be a positive duration such as P366D")
    Duration maxWindow();

    /** The trailing window the delivery gauges on {@code /q/metrics} are computed over. */
    @WithDefault("P30D")
    @DurationMin(nanos = 1, message = "must be a positive duration such as P30D")
    Duration gaugeWindow();

    /** How often the delivery gauges are recomputed: a duration such as {@code 60s}, or {@code off}. */
    @WithDefault("60s")
    String gaugeEvery();

    /** Whether the page that signs in as a local persona is served; only {@code ./twostep up} switches it on. */
    @WithDefault("false")
    boolean localSignIn();

    /** How long a web page's call to another Twostep service may take. */
    @WithDefault("5s")
    Duration serviceTimeout();
}
