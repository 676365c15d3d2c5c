package dev.twostep.console.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The four keys for one application in one environment over a window, each split into its deploy part and its
 * release part. Every figure lists the {@link Item}s it was computed from, and every item the events behind it;
 * {@link #collapsed()} leaves the items out for a summary.
 *
 * @param leadTimeStart where lead times start: the build's finish, because events carry no commit time
 */
public record DeliveryReport(String application, String environment, Instant from, Instant to, String leadTimeStart,
                             Deploys deploys, Releases releases) {

    public static final String LEAD_TIME_START = "build finish (events carry no commit time)";

    /**
     * @param frequency          successful forward deployments (redeploys of the same version included, rollbacks not)
     * @param leadTime           from the build's finish to the version's first success in the environment
     * @param changeFailureRate  forward deployments that failed or were rolled back, over those that concluded
     * @param timeToRestore      from a failed deployment (or a requested rollback) to the next successful deployment
     */
    public record Deploys(Rate frequency, Durations leadTime, FailureRate changeFailureRate,
                          Durations timeToRestore) {
        Deploys collapsed() {
            return new Deploys(frequency.collapsed(), leadTime.collapsed(), changeFailureRate.collapsed(),
                    timeToRestore.collapsed());
        }
    }

    /**
     * @param frequency              audience changes by a person, definitions released by a person (see
     *                               {@link DefinitionReach}) and completed rollouts (a rollout's steps count once, as
     *                               its completion)
     * @param leadTimeToFirstExposure from the build that first brought a feature into the environment to the first
     *                               audience there that includes anyone, or definition that can serve a non-default
     * @param leadTimeToEveryone     from the same build to the first audience of 100 %, or definition that serves no
     *                               context its default
     * @param changeFailureRate      features rolled back, by cause, over releases begun (person changes and rollouts
     *                               started)
     * @param timeToRestore          from a rollback decision to the feature switched off again
     */
    public record Releases(Rate frequency, Durations leadTimeToFirstExposure, Durations leadTimeToEveryone,
                           FailureRate changeFailureRate, Durations timeToRestore) {
        Releases collapsed() {
            return new Releases(frequency.collapsed(), leadTimeToFirstExposure.collapsed(),
                    leadTimeToEveryone.collapsed(), changeFailureRate.collapsed(), timeToRestore.collapsed());
        }
    }

    /** How many, per day of the window, with the count of each kind. */
    public record Rate(long count, double perDay, Map<String, Long> byKind, List<Item> items) {
        Rate collapsed() {
            return new Rate(count, perDay, byKind, null);
        }
    }

    /**
     * Durations in seconds; {@code unfinished} counts starts in the window with no end by its close (a failure not yet
     * restored, a build not yet seen), which no statistic includes.
     */
    public record Durations(long count, Double medianSeconds, Double p90Seconds, Double maxSeconds, long unfinished,
                            List<Item> items) {
        Durations collapsed() {
            return new Durations(count, medianSeconds, p90Seconds, maxSeconds, unfinished, null);
        }
    }

    /** {@code rate} is null when nothing was changed in the window (no denominator). */
    public record FailureRate(long changes, long failures, Double rate, Map<String, Long> byCause, List<Item> items) {
        FailureRate collapsed() {
            return new FailureRate(changes, failures, rate, byCause, null);
        }
    }

    /**
     * One contribution to a figure: what ({@code subject}: a version or a feature key), which {@code kind} it counts
     * as, when it started and ended (equal for a count), the duration in seconds when it is one, and the events.
     */
    public record Item(String subject, String kind, Instant start, Instant end, Double seconds, List<UUID> events) {
        public Item {
            events = List.copyOf(events);
        }
    }

    public DeliveryReport collapsed() {
        return new DeliveryReport(application, environment, from, to, leadTimeStart, deploys.collapsed(),
                releases.collapsed());
    }
}
