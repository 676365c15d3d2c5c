package dev.twostep.console.delivery;

import dev.twostep.console.delivery.DeliveryReport.Deploys;
import dev.twostep.console.delivery.DeliveryReport.Durations;
import dev.twostep.console.delivery.DeliveryReport.FailureRate;
import dev.twostep.console.delivery.DeliveryReport.Item;
import dev.twostep.console.delivery.DeliveryReport.Rate;
import dev.twostep.console.delivery.DeliveryReport.Releases;
import dev.twostep.console.delivery.Fact.DefinitionReleased;
import dev.twostep.console.delivery.Fact.DeployFailed;
import dev.twostep.console.delivery.Fact.DeployRequested;
import dev.twostep.console.delivery.Fact.DeployRolledBack;
import dev.twostep.console.delivery.Fact.DeploySucceeded;
import dev.twostep.console.delivery.Fact.FeatureRolledBack;
import dev.twostep.console.delivery.Fact.Reach;
import dev.twostep.console.delivery.Fact.RollbackDecided;
import dev.twostep.console.delivery.Fact.RolloutCompleted;
import dev.twostep.console.delivery.Fact.RolloutStarted;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Computes the four keys of one application in one environment from its facts, exactly and as known at the window's
 * close: facts at or after {@code to} are ignored, so a past window's figures never change.
 *
 * <p>The facts may come in any order and with duplicates (topics interleave as they like, and a fact may arrive long
 * after later ones): they are deduplicated by event id and ordered by their own time, then by event id, so the same
 * facts always give the same figures. Facts before the window are context only: they say whether a version was
 * deployed before (a redeploy), what ran before a failure, and whether a feature was exposed before.
 */
public final class DeliveryMetrics {

    private static final Comparator<Fact> IN_TIME = Comparator.comparing(Fact::at).thenComparing(Fact::eventId);

    private DeliveryMetrics() {
    }

    public static DeliveryReport compute(String application, String environment, Window window,
                                         Collection<? extends Fact> facts, Map<String, Provenance> provenance) {
        Map<UUID, Fact> unique = new HashMap<>();
        facts.stream().filter(fact -> fact.at().isBefore(window.to())).forEach(fact -> unique.put(fact.eventId(), fact));
        List<Fact> ordered = unique.values().stream().sorted(IN_TIME).toList();
        History history = new History(ordered, window, provenance);
        return new DeliveryReport(application, environment, window.from(), window.to(),
                DeliveryReport.LEAD_TIME_START,
                new Deploys(history.deployFrequency(), history.deployLeadTime(), history.deployFailureRate(),
                        history.deployTimeToRestore()),
                new Releases(history.releaseFrequency(), history.leadTimeTo("first exposure", Reach::exposes),
                        history.leadTimeTo("everyone", Reach::everyone), history.releaseFailureRate(),
                        history.releaseTimeToRestore()));
    }

    /** The ordered facts and the indexes every figure shares. */
    private static final class History {
        private final List<Fact> ordered;
        private final Window window;
        private final Map<String, Provenance> provenance;
        private final List<DeploySucceeded> successes;
        private final Map<String, DeployRolledBack> rollbackByDeployment = new HashMap<>();
        private final Map<String, DeployRequested> requestByDeployment = new HashMap<>();
        private final Map<String, DeploySucceeded> firstSuccessOfVersion = new HashMap<>();

        History(List<Fact> ordered, Window window, Map<String, Provenance> provenance) {
            this.ordered = ordered;
            this.window = window;
            this.provenance = provenance;
            this.successes = of(DeploySucceeded.class).toList();
            of(DeployRolledBack.class).forEach(back -> rollbackByDeployment.putIfAbsent(back.deploymentId(), back));
            of(DeployRequested.class).forEach(wanted -> requestByDeployment.putIfAbsent(wanted.deploymentId(), wanted));
            successes.forEach(success -> firstSuccessOfVersion.putIfAbsent(success.version(), success));
        }

        private <T extends Fact> Stream<T> of(Class<T> kind) {
            return ordered.stream().filter(kind::isInstance).map(kind::cast);
        }

        private <T extends Fact> Stream<T> inWindow(Class<T> kind) {
            return of(kind).filter(fact -> window.contains(fact.at()));
        }

        private boolean isRollback(DeploySucceeded success) {
            return rollbackByDeployment.containsKey(success.deploymentId());
        }

        /** Successful deployments in the window that bring a version forward: every one but rollbacks. */
        private List<DeploySucceeded> forwardSuccesses() {
            return inWindow(DeploySucceeded.class).filter(success -> !isRollback(success)).toList();
        }

        Rate deployFrequency() {
            List<Item> items = forwardSuccesses().stream().map(success -> {
                boolean redeploy = firstSuccessOfVersion.get(success.version()) != success;
                return new Item(success.version(), redeploy ? "redeploy" : "deploy", success.at(), success.at(), null,
                        List.of(success.eventId()));
            }).toList();
            return rate(items);
        }

        /** Each version counts once, at its first success in the environment: a redeploy brings no new change. */
        Durations deployLeadTime() {
            List<Item> items = new ArrayList<>();
            firstSuccessOfVersion.values().stream()
                    .filter(first -> window.contains(first.at()) && !isRollback(first))
                    .sorted(IN_TIME)
                    .forEach(first -> items.add(fromBuild(first.version(), "deploy", first.version(),
                            first.at(), List.of(first.eventId()))));
            return durations(items);
        }

        FailureRate deployFailureRate() {
            List<DeploySucceeded> forward = forwardSuccesses();
            List<DeployFailed> failed = inWindow(DeployFailed.class).toList();
            List<Item> failures = new ArrayList<>();
            failed.forEach(failure -> failures.add(new Item(failure.version(), "failed", failure.at(), failure.at(),
                    null, withRequest(failure.deploymentId(), failure.eventId()))));
            for (DeploySucceeded success : forward) {
                rolledBack(success).ifPresent(back -> failures.add(new Item(success.version(), "rolled back",
                        success.at(), back.at(), null, List.of(success.eventId(), back.eventId()))));
            }
            failures.sort(Comparator.comparing(Item::end).thenComparing(item -> item.events().getLast()));
            return failureRate(forward.size() + failed.size(), failures);
        }

        /**
         * A success was rolled back when the next success after it in the environment is a rollback deployment that
         * put its version back. A later rollback of another version, or one after a newer deployment, is not its.
         */
        private Optional<DeployRolledBack> rolledBack(DeploySucceeded success) {
            return successes.stream()
                    .filter(next -> next.at().isAfter(success.at()) || (next.at().equals(success.at())
                            && next.eventId().compareTo(success.eventId()) > 0))
                    .filter(next -> !next.deploymentId().equals(success.deploymentId()))
                    .findFirst()
                    .map(next -> rollbackByDeployment.get(next.deploymentId()))
                    .filter(back -> success.version().equals(back.fromVersion()));
        }

        /**
         * Incidents are failed deployments and rollbacks somebody asked for; each ends at the next successful
         * deployment (the version that ran before, or a newer one). A rollback that restores after a failure is that
         * failure's restore, not an incident of its own.
         */
        Durations deployTimeToRestore() {
            List<Item> items = new ArrayList<>();
            Set<String> restoringDeployments = new HashSet<>();
            inWindow(DeployFailed.class).forEach(failure -> {
                Optional<DeploySucceeded> restore = successes.stream()
                        .filter(next -> next.at().isAfter(failure.at())).findFirst();
                restore.ifPresentOrElse(next -> {
                    restoringDeployments.add(next.deploymentId());
                    String how = isRollback(next) ? "failed, rolled back" : "failed, deployed again";
                    items.add(new Item(failure.version(), how, failure.at(), next.at(), seconds(failure.at(), next.at()),
                            List.of(failure.eventId(), next.eventId())));
                }, () -> items.add(new Item(failure.version(), "failed, not restored", failure.at(), null, null,
                        List.of(failure.eventId()))));
            });
            inWindow(DeploySucceeded.class)
                    .filter(success -> isRollback(success) && !restoringDeployments.contains(success.deploymentId()))
                    .forEach(success -> {
                        DeployRolledBack back = rollbackByDeployment.get(success.deploymentId());
                        DeployRequested asked = requestByDeployment.get(success.deploymentId());
                        Instant start = asked == null ? success.at() : asked.at();
                        List<UUID> events = new ArrayList<>();
                        if (asked != null) {
                            events.add(asked.eventId());
                        }
                        events.add(success.eventId());
                        events.add(back.eventId());
                        items.add(new Item(back.fromVersion(), "rollback", start, success.at(),
                                seconds(start, success.at()), events));
                    });
            items.sort(Comparator.comparing(Item::start));
            return durations(items);
        }

        Rate releaseFrequency() {
            List<Item> items = new ArrayList<>();
            inWindow(Reach.class).filter(change -> change.rolloutId() == null).forEach(change ->
                    items.add(new Item(change.featureKey(), change instanceof DefinitionReleased ? "definition"
                            : "audience", change.at(), change.at(), null, List.of(change.eventId()))));
            inWindow(RolloutCompleted.class).forEach(done -> items.add(new Item(done.featureKey(), "rollout completed",
                    done.at(), done.at(), null, List.of(done.eventId()))));
            items.sort(Comparator.comparing(Item::end));
            return rate(items);
        }

        /**
         * Per feature, from the build that first brought it into the environment (the earliest successful deployment
         * there of a version that contains it) to the first audience or released definition that {@code reached}
         * says reaches far enough.
         */
        Durations leadTimeTo(String kind, java.util.function.Predicate<Reach> reached) {
            Map<String, Reach> firsts = new LinkedHashMap<>();
            of(Reach.class).filter(reached).forEach(change -> firsts.putIfAbsent(change.featureKey(), change));
            List<Item> items = new ArrayList<>();
            firsts.values().stream().filter(first -> window.contains(first.at())).forEach(first -> {
                Optional<DeploySucceeded> brought = successes.stream()
                        .filter(success -> !success.at().isAfter(first.at()))
                        .filter(success -> contains(success.version(), first.featureKey()))
                        .findFirst();
                items.add(brought.map(success -> fromBuild(first.featureKey(), kind, success.version(), first.at(),
                                List.of(success.eventId(), first.eventId())))
                        .orElseGet(() -> new Item(first.featureKey(), kind + ", no deployment of its code seen", null,
                                first.at(), null, List.of(first.eventId()))));
            });
            return durations(items);
        }

        private boolean contains(String version, String featureKey) {
            Provenance origin = provenance.get(version);
            return origin != null && origin.features().contains(featureKey);
        }

        FailureRate releaseFailureRate() {
            long begun = inWindow(Reach.class).filter(change -> change.rolloutId() == null).count()
                    + inWindow(RolloutStarted.class).count();
            List<Item> failures = inWindow(FeatureRolledBack.class).map(back -> new Item(back.featureKey(),
                    switch (back.cause()) {
                        case DECISION -> "rolled back by decision";
                        case PERSON -> "rolled back by a person";
                        case CODE_LEFT -> "rolled back because its code left";
                    }, back.at(), back.at(), null, List.of(back.eventId()))).toList();
            return failureRate(begun, failures);
        }

        /** From a rollback decision to the feature switched off by it (back to the audience before the rollout). */
        Durations releaseTimeToRestore() {
            Map<String, FeatureRolledBack> byDecision = new HashMap<>();
            of(FeatureRolledBack.class).filter(back -> back.decisionId() != null)
                    .forEach(back -> byDecision.putIfAbsent(back.decisionId(), back));
            List<Item> items = inWindow(RollbackDecided.class).map(decided -> {
                FeatureRolledBack back = byDecision.get(decided.decisionId());
                return back == null
                        ? new Item(decided.featureKey(), "rollback decided, not yet switched off", decided.at(), null,
                        null, List.of(decided.eventId()))
                        : new Item(decided.featureKey(), "rollback decided, switched off", decided.at(), back.at(),
                        seconds(decided.at(), back.at()), List.of(decided.eventId(), back.eventId()));
            }).toList();
            return durations(items);
        }

        /** An item that starts at the build of {@code version}, or an unfinished one while that build is unknown. */
        private Item fromBuild(String subject, String kind, String version, Instant end, List<UUID> events) {
            Provenance origin = provenance.get(version);
            if (origin == null || origin.buildFinishedAt() == null) {
                return new Item(subject, kind + ", build of " + version + " not seen", null, end, null, events);
            }
            List<UUID> all = new ArrayList<>();
            Stream.of(origin.buildEventId(), origin.artefactEventId()).filter(Objects::nonNull).forEach(all::add);
            all.addAll(events);
            return new Item(subject, kind, origin.buildFinishedAt(), end, seconds(origin.buildFinishedAt(), end), all);
        }

        private List<UUID> withRequest(String deploymentId, UUID eventId) {
            DeployRequested asked = requestByDeployment.get(deploymentId);
            return asked == null ? List.of(eventId) : List.of(asked.eventId(), eventId);
        }

        private Rate rate(List<Item> items) {
            Map<String, Long> byKind = new LinkedHashMap<>();
            items.forEach(item -> byKind.merge(item.kind(), 1L, Long::sum));
            return new Rate(items.size(), items.size() / window.days(), byKind, items);
        }
    }

    private static FailureRate failureRate(long changes, List<Item> failures) {
        Map<String, Long> byCause = new LinkedHashMap<>();
        failures.forEach(item -> byCause.merge(item.kind(), 1L, Long::sum));
        return new FailureRate(changes, failures.size(), changes == 0 ? null : (double) failures.size() / changes,
                byCause, failures);
    }

    /** Median (the mean of the middle two for an even count), 90th percentile by nearest rank, and maximum. */
    static Durations durations(List<Item> items) {
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

    private static double seconds(Instant start, Instant end) {
        return Duration.between(start, end).toMillis() / 1000.0;
    }
}
