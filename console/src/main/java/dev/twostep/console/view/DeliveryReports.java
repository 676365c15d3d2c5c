package dev.twostep.console.view;

import dev.twostep.console.delivery.DeliveryMetrics;
import dev.twostep.console.delivery.DeliveryReport;
import dev.twostep.console.delivery.Window;
import jakarta.enterprise.context.ApplicationScoped;

/** The four keys of an application in an environment: its facts read from the read model, computed by the pure core. */
@ApplicationScoped
public class DeliveryReports {

    private final DeliveryFacts facts;

    DeliveryReports(DeliveryFacts facts) {
        this.facts = facts;
    }

    public DeliveryReport report(String application, String environment, Window window) {
        DeliveryFacts.Input input = facts.load(application, environment, window);
        return DeliveryMetrics.compute(application, environment, window, input.facts(), input.provenance());
    }
}
