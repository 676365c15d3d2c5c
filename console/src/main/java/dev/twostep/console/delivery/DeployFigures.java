package dev.twostep.console.delivery;

import dev.twostep.console.delivery.DeliveryReport.Deploys;
import dev.twostep.console.delivery.DeliveryReport.Durations;
import dev.twostep.console.delivery.DeliveryReport.FailureRate;
import dev.twostep.console.delivery.DeliveryReport.Item;
import dev.twostep.console.delivery.DeliveryReport.Rate;
import dev.twostep.console.delivery.Fact.DeployFailed;
import dev.twostep.console.delivery.Fact.DeployRequested;
import dev.twostep.console.delivery.Fact.DeployRolledBack;
import dev.twostep.console.delivery.Fact.DeploySucceeded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.twostep.console.delivery.History.seconds;

/** The deploy half of the four keys, from the deployments' facts and the versions' builds. */
final class DeployFigures {

    private final History history;
    private final Map<String, DeployRolledBack> rollbackByDeployment = new HashMap<>();
    private final Map<String, DeployRequested> requestByDeployment = new HashMap<>();
    private final Map<String, DeploySucceeded> firstSuccessOfVersion = new HashMap<>();

    DeployFigures(History history) {
        this.history = history;
        history.of(DeployRolledBack.class).forEach(back -> rollbackByDeployment.putIfAbsent(back.deploymentId(), back));
        history.of(DeployRequested.class)
                .forEach(wanted -> requestByDeployment.putIfAbsent(wanted.deploymentId(), wanted));
        history.successes().forEach(success -> firstSuccessOfVersion.putIfAbsent(success.version(), success));
    }

    Deploys figures() {
        return new Deploys(frequency(), leadTime(), failureRate(), timeToRestore());
    }

    private boolean isRollback(DeploySucceeded success) {
        return rollbackByDeployment.containsKey(success.deploymentId());
    }

    /** Successful deployments in the window that bring a version forward: every one but rollbacks. */
    private List<DeploySucceeded> forwardSuccesses() {
        return history.inWindow(DeploySucceeded.class).filter(success -> !isRollback(success)).toList();
    }

    private Rate frequency() {
        List<Item> items = forwardSuccesses().stream().map(success -> {
            boolean redeploy = firstSuccessOfVersion.get(success.version()) != success;
            return new Item(success.version(), redeploy ? "redeploy" : "deploy", success.at(), success.at(), null,
                    List.of(success.eventId()));
        }).toList();
        return history.rate(items);
    }

    /** Each version counts once, at its first success in the environment: a redeploy brings no new change. */
    private Durations leadTime() {
        List<Item> items = new ArrayList<>();
        firstSuccessOfVersion.values().stream()
                .filter(first -> history.window().contains(first.at()) && !isRollback(first))
                .sorted(History.IN_TIME)
                .forEach(first -> items.add(history.fromBuild(first.version(), "deploy", first.version(),
                        first.at(), List.of(first.eventId()))));
        return Durations.of(items);
    }

    private FailureRate failureRate() {
        List<DeploySucceeded> forward = forwardSuccesses();
        List<DeployFailed> failed = history.inWindow(DeployFailed.class).toList();
        List<Item> failures = new ArrayList<>();
        failed.forEach(failure -> failures.add(new Item(failure.version(), "failed", failure.at(), failure.at(),
                null, withRequest(failure.deploymentId(), failure.eventId()))));
        for (DeploySucceeded success : forward) {
            rolledBack(success).ifPresent(back -> failures.add(new Item(success.version(), "rolled back",
                    success.at(), back.at(), null, List.of(success.eventId(), back.eventId()))));
        }
        failures.sort(Comparator.comparing(Item::end).thenComparing(item -> item.events().getLast()));
        return FailureRate.of(forward.size() + failed.size(), failures);
    }

    /**
     * A success was rolled back when the next success after it in the environment is a rollback deployment that
     * put its version back. A later rollback of another version, or one after a newer deployment, is not its.
     */
    private Optional<DeployRolledBack> rolledBack(DeploySucceeded success) {
        return history.successes().stream()
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
    private Durations timeToRestore() {
        List<Item> items = new ArrayList<>();
        Set<String> restoringDeployments = new HashSet<>();
        history.inWindow(DeployFailed.class).forEach(failure -> {
            Optional<DeploySucceeded> restore = history.successes().stream()
                    .filter(next -> next.at().isAfter(failure.at())).findFirst();
            restore.ifPresentOrElse(next -> {
                restoringDeployments.add(next.deploymentId());
                String how = isRollback(next) ? "failed, rolled back" : "failed, deployed again";
                items.add(new Item(failure.version(), how, failure.at(), next.at(), seconds(failure.at(), next.at()),
                        List.of(failure.eventId(), next.eventId())));
            }, () -> items.add(new Item(failure.version(), "failed, not restored", failure.at(), null, null,
                    List.of(failure.eventId()))));
        });
        history.inWindow(DeploySucceeded.class)
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
        return Durations.of(items);
    }

    private List<UUID> withRequest(String deploymentId, UUID eventId) {
        DeployRequested asked = requestByDeployment.get(deploymentId);
        return asked == null ? List.of(eventId) : List.of(asked.eventId(), eventId);
    }
}
