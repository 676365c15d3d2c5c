package dev.twostep.outbox;

import java.time.Duration;

/**
 * How long the inbox remembers an applied event, checked against the longest time after which Kafka can still
 * redeliver one to this consumer group.
 *
 * <p>Kafka redelivers what a consumer applied but had not committed the offset of: after a rebalance, a crash or a
 * restart, that is seconds to minutes. The longest case is a group that stays away: its committed offsets expire
 * after {@code offsets.retention.minutes} (7 days by default), and it then starts again from the earliest record.
 * The retention must be longer than that horizon; the horizon is configured to match the broker's setting.
 *
 * @param retention         {@code twostep.inbox.retention}: applied events older than this are forgotten
 * @param redeliveryHorizon {@code twostep.inbox.redelivery-horizon}: the broker's offsets retention
 */
public record InboxWindow(Duration retention, Duration redeliveryHorizon) {

    public InboxWindow {
        if (!redeliveryHorizon.isPositive()) {
            throw new IllegalArgumentException("twostep.inbox.redelivery-horizon must be a positive duration (the "
                    + "broker's offsets.retention.minutes), but is " + redeliveryHorizon);
        }
        if (retention.compareTo(redeliveryHorizon) <= 0) {
            throw new IllegalArgumentException("twostep.inbox.retention must be longer than "
                    + "twostep.inbox.redelivery-horizon (" + redeliveryHorizon + "), so that every redelivery Kafka "
                    + "can cause is still recognised, but is " + retention);
        }
    }
}
