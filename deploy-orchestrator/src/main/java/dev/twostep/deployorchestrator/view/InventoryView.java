package dev.twostep.deployorchestrator.view;

import java.time.Instant;
import java.util.List;

/** What runs in an environment, each application with the commit and build it came from. */
public record InventoryView(String environment, List<Entry> applications) {

    public record Entry(String application, String version, String digest, String commit, String buildId,
                        Instant since, String deploymentId) {

        static Entry of(InventoryEntity row) {
            return new Entry(row.application, row.version, row.digest, row.commit, row.buildId, row.since,
                    row.deploymentId);
        }
    }

    public static InventoryView of(String environment, List<InventoryEntity> rows) {
        return new InventoryView(environment, rows.stream().map(Entry::of).toList());
    }
}
