package dev.twostep.console.notification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a subscription's receiver wants its notices. */
public enum Format {
    /** The CloudEvent in structured mode: {@code application/cloudevents+json}, data inline as JSON. */
    CLOUDEVENTS,
    /** A Slack incoming-webhook message ({@code {"text": ...}}): the summary and a link to the story. */
    SLACK;

    /** The name in the API and the metrics. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Format> ofWireName(String name) {
        return Arrays.stream(values()).filter(format -> format.wireName().equals(name)).findFirst();
    }
}
