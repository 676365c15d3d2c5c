package dev.twostep.console.delivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        static Rate of(List<Item> items, double days) {
            return new Rate(items.size(), items.size() / days, countByKind(items), items);
        }

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
        /** Median (the mean of the middle two for an even count), 90th percentile by nearest rank, and maximum. */
        static Durations of(List<Item> items) {
            double[] sorted = items.stream().map(Item::seconds).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).sorted().toArray();
            long unfinished = items.size() - sorted.length;
            if (sorted.length == 0) {
                return new Durations(0, null, null, null, unfinished, items);
            }
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            double p90 = sorted[(int) Math.ceil(0.9 * n) - 1];
            return new Durations(n, median, p90, sorted[n - 1], unfinished, items);
        }

        Durations collapsed() {
            return new Durations(count, medianSeconds, p90Seconds, maxSeconds, unfinished, null);
        }
    }

    /** {@code rate} is null when nothing was changed in the window (no denominator). */
    public record FailureRate(long changes, long failures, Double rate, Map<String, Long> byCause, List<Item> items) {
        /** {@code failures} are items whose kind is their cause. */
        static FailureRate of(long changes, List<Item> failures) {
            return new FailureRate(changes, failures.size(), changes == 0 ? null : (double) failures.size() / changes,
                    countByKind(failures), failures);
        }

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

    private static Map<String, Long> countByKind(List<Item> items) {
        Map<String, Long> byKind = new LinkedHashMap<>();
        items.forEach(item -> byKind.merge(item.kind(), 1L, Long::sum));
        return byKind;
    }

    public DeliveryReport collapsed() {
        return new DeliveryReport(application, environment, from, to, leadTimeStart, deploys.collapsed(),
                releases.collapsed());
    }
}
