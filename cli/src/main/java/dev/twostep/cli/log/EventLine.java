package dev.twostep.cli.log;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventSummary;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One event as one line a person reads: time, type, subject, actor, and what happened. */
public final class EventLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private EventLine() {
    }

    public static String of(EventEnvelope event) {
        return String.format("%s  %-26s %-40s %-22s %s", TIME.format(event.time()), shortType(event.type()),
                ellipsis(event.subject(), 40), ellipsis(event.actor() == null ? "-" : event.actor(), 22),
                EventSummary.summary(event.data()));
    }

    /** {@code dev.twostep.deployment.succeeded.v1} reads {@code deployment.succeeded}. */
    static String shortType(String type) {
        return type.replaceFirst("^dev\\.twostep\\.", "").replaceFirst("\\.v\\d+$", "");
    }

    private static String ellipsis(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
