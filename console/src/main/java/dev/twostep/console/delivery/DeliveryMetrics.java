package dev.twostep.console.delivery;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Computes the four keys of one application in one environment from its facts, exactly and as known at the window's
 * close: facts at or after {@code to} are ignored, so a past window's figures never change. The deploy half is
 * {@link DeployFigures}, the release half {@link ReleaseFigures}.
 *
 * <p>The facts may come in any order and with duplicates (topics interleave as they like, and a fact may arrive long
 * after later ones): they are deduplicated by event id and ordered by their own time, then by event id, so the same
 * facts always give the same figures. Facts before the window are context only: they say whether a version was
 * deployed before (a redeploy), what ran before a failure, and whether a feature was exposed before.
 */
public final class DeliveryMetrics {

    private DeliveryMetrics() {
    }

    public static DeliveryReport compute(String application, String environment, Window window,
                                         Collection<? extends Fact> facts, Map<String, Provenance> provenance) {
        Map<UUID, Fact> unique = new HashMap<>();
        facts.stream().filter(fact -> fact.at().isBefore(window.to())).forEach(fact -> unique.put(fact.eventId(), fact));
        List<Fact> ordered = unique.values().stream().sorted(History.IN_TIME).toList();
        History history = new History(ordered, window, provenance);
        return new DeliveryReport(application, environment, window.from(), window.to(),
                DeliveryReport.LEAD_TIME_START, new DeployFigures(history).figures(),
                new ReleaseFigures(history).figures());
    }
}
