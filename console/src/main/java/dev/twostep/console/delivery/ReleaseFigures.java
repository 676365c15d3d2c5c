package dev.twostep.console.delivery;

import dev.twostep.console.delivery.DeliveryReport.Durations;
import dev.twostep.console.delivery.DeliveryReport.FailureRate;
import dev.twostep.console.delivery.DeliveryReport.Item;
import dev.twostep.console.delivery.DeliveryReport.Rate;
import dev.twostep.console.delivery.DeliveryReport.Releases;
import dev.twostep.console.delivery.Fact.DefinitionReleased;
import dev.twostep.console.delivery.Fact.DeploySucceeded;
import dev.twostep.console.delivery.Fact.FeatureRolledBack;
import dev.twostep.console.delivery.Fact.Reach;
import dev.twostep.console.delivery.Fact.RollbackDecided;
import dev.twostep.console.delivery.Fact.RolloutCompleted;
import dev.twostep.console.delivery.Fact.RolloutStarted;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.twostep.console.delivery.History.seconds;

/**
 * The release half of the four keys, from the release facts; lead times start at the build that first brought a
 * feature's code into the environment, so they read the deployments too.
 */
final class ReleaseFigures {

    private final History history;

    ReleaseFigures(History history) {
        this.history = history;
    }

    Releases figures() {
        return new Releases(frequency(), leadTimeTo("first exposure", Reach::exposes),
                leadTimeTo("everyone", Reach::everyone), failureRate(), timeToRestore());
    }

    private Rate frequency() {
        List<Item> items = new ArrayList<>();
        history.inWindow(Reach.class).filter(change -> change.rolloutId() == null).forEach(change ->
                items.add(new Item(change.featureKey(), change instanceof DefinitionReleased ? "definition"
                        : "audience", change.at(), change.at(), null, List.of(change.eventId()))));
        history.inWindow(RolloutCompleted.class).forEach(done -> items.add(new Item(done.featureKey(),
                "rollout completed", done.at(), done.at(), null, List.of(done.eventId()))));
        items.sort(Comparator.comparing(Item::end));
        return history.rate(items);
    }

    /**
     * Per feature, from the build that first brought it into the environment (the earliest successful deployment
     * there of a version that contains it) to the first audience or released definition that {@code reached}
     * says reaches far enough.
     */
    private Durations leadTimeTo(String kind, Predicate<Reach> reached) {
        Map<String, Reach> firsts = new LinkedHashMap<>();
        history.of(Reach.class).filter(reached).forEach(change -> firsts.putIfAbsent(change.featureKey(), change));
        List<Item> items = new ArrayList<>();
        firsts.values().stream().filter(first -> history.window().contains(first.at())).forEach(first -> {
            Optional<DeploySucceeded> brought = history.successes().stream()
                    .filter(success -> !success.at().isAfter(first.at()))
                    .filter(success -> history.contains(success.version(), first.featureKey()))
                    .findFirst();
            items.add(brought.map(success -> history.fromBuild(first.featureKey(), kind, success.version(),
                            first.at(), List.of(success.eventId(), first.eventId())))
                    .orElseGet(() -> new Item(first.featureKey(), kind + ", no deployment of its code seen", null,
                            first.at(), null, List.of(first.eventId()))));
        });
        return Durations.of(items);
    }

    private FailureRate failureRate() {
        long begun = history.inWindow(Reach.class).filter(change -> change.rolloutId() == null).count()
                + history.inWindow(RolloutStarted.class).count();
        List<Item> failures = history.inWindow(FeatureRolledBack.class).map(back -> new Item(back.featureKey(),
                switch (back.cause()) {
                    case DECISION -> "rolled back by decision";
                    case PERSON -> "rolled back by a person";
                    case CODE_LEFT -> "rolled back because its code left";
                }, back.at(), back.at(), null, List.of(back.eventId()))).toList();
        return FailureRate.of(begun, failures);
    }

    /** From a rollback decision to the feature switched off by it (back to the audience before the rollout). */
    private Durations timeToRestore() {
        Map<String, FeatureRolledBack> byDecision = new HashMap<>();
        history.of(FeatureRolledBack.class).filter(back -> back.decisionId() != null)
                .forEach(back -> byDecision.putIfAbsent(back.decisionId(), back));
        List<Item> items = history.inWindow(RollbackDecided.class).map(decided -> {
            FeatureRolledBack back = byDecision.get(decided.decisionId());
            return back == null
                    ? new Item(decided.featureKey(), "rollback decided, not yet switched off", decided.at(), null,
                    null, List.of(decided.eventId()))
                    : new Item(decided.featureKey(), "rollback decided, switched off", decided.at(), back.at(),
                    seconds(decided.at(), back.at()), List.of(decided.eventId(), back.eventId()));
        }).toList();
        return Durations.of(items);
    }
}
