package dev.twostep.releasecontroller.feature;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefined;

import java.util.List;
import java.util.Optional;

/**
 * A feature flag. It is defined the first time an artefact that contains it is published (or by
 * hand); later artefacts that contain it again change nothing.
 */
public record Feature(Optional<FeatureDefined> definition, long version) {

    public static final Feature NONE = new Feature(Optional.empty(), 0);

    public static Feature fold(List<? extends ReleaseEvent> history) {
        Feature state = NONE;
        for (ReleaseEvent event : history) {
            state = state.evolve(event);
        }
        return state;
    }

    public Feature evolve(ReleaseEvent event) {
        return switch (event) {
            case FeatureDefined defined -> new Feature(Optional.of(defined), version + 1);
            default -> new Feature(definition, version + 1);
        };
    }

    /** Defines the feature when new, or when the description changes; an identical definition is a no-op. */
    public List<ReleaseEvent> define(FeatureDefined wanted) {
        if (definition.isEmpty()) {
            return List.of(wanted);
        }
        FeatureDefined current = definition.get();
        String application = wanted.application() != null ? wanted.application() : current.application();
        String description = wanted.description() != null ? wanted.description() : current.description();
        FeatureDefined merged = new FeatureDefined(wanted.featureKey(), application, description);
        return merged.equals(current) ? List.of() : List.of(merged);
    }
}
