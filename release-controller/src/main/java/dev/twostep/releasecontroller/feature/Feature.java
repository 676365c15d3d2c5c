package dev.twostep.releasecontroller.feature;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefined;

import java.util.List;
import java.util.Optional;

/**
 * A feature flag. It is defined the first time an artefact that contains it is published (or by
 * hand); later artefacts that contain it again change nothing, whichever application they belong to.
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

    /**
     * A published artefact lists the feature: that defines it the first time, and only then. Were every later
     * artefact to redefine it, a feature shipped by two applications would flip its owner with each publish and
     * grow its history by one event per artefact.
     */
    public List<ReleaseEvent> discover(FeatureDefined found) {
        return definition.isEmpty() ? List.of(found) : List.of();
    }

    /** Defines the feature by hand: when new, or when the application or description changes; a repeat is a no-op. */
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
