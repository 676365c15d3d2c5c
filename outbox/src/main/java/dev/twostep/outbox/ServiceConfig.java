package dev.twostep.outbox;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;

/** Who this service is, as its events and its connections name it. */
@ConfigMapping(prefix = "twostep.service")
public interface ServiceConfig {

    /** The service's name, such as {@code build-service}: its events' source is {@code /twostep/<name>}. */
    @Pattern(regexp = "[a-z][a-z0-9-]*", message = "must be a lower-case name such as build-service")
    String name();
}
