package dev.twostep.console.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One live timeline reader's place: it asks for what was recorded since its high-water mark less
 * {@link Timeline#LATE_COMMIT} (a late commit shows rows recorded earlier than ones already read) and sends only
 * events it has not sent, forgetting those older than the look-back.
 */
final class LiveReader {

    private final Timeline timeline;
    private final Timeline.Filter filter;
    private final Map<UUID, Instant> sent = new HashMap<>();
    private Instant highWater;

    LiveReader(Timeline timeline, Timeline.Filter filter, Instant from) {
        this.timeline = timeline;
        this.filter = filter;
        this.highWater = from;
    }

    synchronized List<Timeline.Entry> next() {
        List<Timeline.Entry> fresh = new ArrayList<>();
        for (Timeline.Entry entry : timeline.recordedAfter(filter, highWater.minus(Timeline.LATE_COMMIT))) {
            if (sent.putIfAbsent(entry.eventId(), entry.recordedAt()) == null) {
                fresh.add(entry);
            }
            if (entry.recordedAt().isAfter(highWater)) {
                highWater = entry.recordedAt();
            }
        }
        Instant forgetBefore = highWater.minus(Timeline.LATE_COMMIT).minus(Timeline.LATE_COMMIT);
        sent.values().removeIf(recordedAt -> recordedAt.isBefore(forgetBefore));
        return fresh;
    }
}
