package dev.twostep.releasecontroller.view;

import java.time.Instant;

public record FeatureView(String featureKey, String application, String description, Instant definedAt) {

    public static FeatureView of(FeatureEntity row) {
        return new FeatureView(row.featureKey, row.application, row.description, row.definedAt);
    }
}
