package dev.twostep.console.notification;

import io.cloudevents.CloudEvent;

import java.util.UUID;

/**
 * One thing worth telling people, as the CloudEvent a receiver gets in structured mode, with what a subscription
 * matches it by and the one line a person reads.
 *
 * @param event       the CloudEvent: the consumed event itself (same id, type, source, data and extensions), or
 *                    one the console derives from it ({@link NotificationTypes#APPROVAL_NEEDED})
 * @param environment the environment it concerns, which subscriptions filter on
 * @param summary     one line in words, without line breaks
 * @param story       the correlation id that ties its story together, for the console's link; may be null
 */
public record Notice(CloudEvent event, String environment, String summary, String story) {

    public UUID id() {
        return UUID.fromString(event.getId());
    }

    public String type() {
        return event.getType();
    }
}
