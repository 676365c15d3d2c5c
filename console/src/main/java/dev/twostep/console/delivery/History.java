package dev.twostep.console.delivery;

import dev.twostep.console.delivery.DeliveryReport.Item;
import dev.twostep.console.delivery.DeliveryReport.Rate;
import dev.twostep.console.delivery.Fact.DeploySucceeded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The facts of one application in one environment before the window's close, in time order, with what the deploy
 * and the release figures both read of them: the successful deployments and the provenance of each version.
 */
final class History {

    static final Comparator<Fact> IN_TIME = Comparator.comparing(Fact::at).thenComparing(Fact::eventId);

    private final List<Fact> ordered;
    private final Window window;
    private final Map<String, Provenance> provenance;
    private final List<DeploySucceeded> successes;

    History(List<Fact> ordered, Window window, Map<String, Provenance> provenance) {
        this.ordered = ordered;
        this.window = window;
        this.provenance = provenance;
        this.successes = of(DeploySucceeded.class).toList();
    }

    <T extends Fact> Stream<T> of(Class<T> kind) {
        return ordered.stream().filter(kind::isInstance).map(kind::cast);
    }

    <T extends Fact> Stream<T> inWindow(Class<T> kind) {
        return of(kind).filter(fact -> window.contains(fact.at()));
    }

    Window window() {
        return window;
    }

    /** Every successful deployment, rollbacks included, in time order. */
    List<DeploySucceeded> successes() {
        return successes;
    }

    boolean contains(String version, String featureKey) {
        Provenance origin = provenance.get(version);
        return origin != null && origin.features().contains(featureKey);
    }

    /** An item that starts at the build of {@code version}, or an unfinished one while that build is unknown. */
    Item fromBuild(String subject, String kind, String version, Instant end, List<UUID> events) {
        Provenance origin = provenance.get(version);
        if (origin == null || origin.buildFinishedAt() == null) {
            return new Item(subject, kind + ", build of " + version + " not seen", null, end, null, events);
        }
        List<UUID> all = new ArrayList<>();
        Stream.of(origin.buildEventId(), origin.artefactEventId()).filter(Objects::nonNull).forEach(all::add);
        all.addAll(events);
        return new Item(subject, kind, origin.buildFinishedAt(), end, seconds(origin.buildFinishedAt(), end), all);
    }

    Rate rate(List<Item> items) {
        return Rate.of(items, window.days());
    }

    static double seconds(Instant start, Instant end) {
        return Duration.between(start, end).toMillis() / 1000.0;
    }
}
