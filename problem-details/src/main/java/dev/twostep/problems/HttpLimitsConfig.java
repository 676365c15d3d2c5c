package dev.twostep.problems;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** Quarkus's own request limits, as {@link BodySizeLimit} reads them; Quarkus documents the keys and their defaults. */
@ConfigMapping(prefix = "quarkus.http.limits")
public interface HttpLimitsConfig {

    /** The largest request body accepted; a larger one is refused with 413. */
    Optional<MemorySize> maxBodySize();
}
