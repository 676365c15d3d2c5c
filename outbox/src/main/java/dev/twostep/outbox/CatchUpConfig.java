package dev.twostep.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** How long {@link TopicCatchUp} may hold a refusal that could only mean "not consumed yet". */
@ConfigMapping(prefix = "twostep.catch-up")
public interface CatchUpConfig {

    /** The longest a command waits for this service's consumers before a refusal is answered. */
    @WithDefault("PT2S")
    @DurationMin(nanos = 0, message = "must not be negative (zero answers at once)")
    Duration within();
}
