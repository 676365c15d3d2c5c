package dev.twostep.console.notification;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Who wants which notices where. A subscription takes the notices of events that happened from its creation on;
 * history it missed is in the console, not in the receiver's inbox.
 *
 * @param environments the environments it listens to; empty for every environment
 */
public record Subscription(UUID id, String url, Set<String> types, Set<String> environments, Format format,
                           Instant createdAt) {

    public Subscription {
        types = Set.copyOf(types);
        environments = Set.copyOf(environments);
    }

    public boolean matches(Notice notice) {
        return types.contains(notice.type())
                && (environments.isEmpty() || environments.contains(notice.environment()))
                && notice.event().getTime() != null && !notice.event().getTime().toInstant().isBefore(createdAt);
    }
}
