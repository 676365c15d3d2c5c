package dev.twostep.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** How {@link EventIntake} treats a consumed event whose effect fails. */
@ConfigMapping(prefix = "twostep.intake")
public interface IntakeConfig {

    /**
     * Tries of one event's failing effect, on its own, before the event goes to {@code <topic>.dlq}; an unreachable
     * database never counts as a try.
     */
    @WithDefault("3")
    @Min(value = 1, message = "must be at least 1")
    int attempts();
}
