package dev.twostep.deployorchestrator.environment;

import dev.twostep.events.DeploymentEvent.EnvironmentDefined;

import java.util.List;
import java.util.Optional;

/**
 * An environment's definition. Every change is an event, so "who loosened prod's promotion rule,
 * and when" has an answer; a PUT of the definition it already has changes nothing.
 */
public record Environment(Optional<EnvironmentDefined> definition, long version) {

    public static final Environment NONE = new Environment(Optional.empty(), 0);

    public static Environment fold(List<EnvironmentDefined> history) {
        Environment state = NONE;
        for (EnvironmentDefined event : history) {
            state = new Environment(Optional.of(event), state.version + 1);
        }
        return state;
    }

    public List<EnvironmentDefined> define(EnvironmentDefined wanted) {
        if (wanted.promotesFrom() != null && wanted.promotesFrom().equals(wanted.name())) {
            throw new IllegalArgumentException("an environment cannot promote from itself");
        }
        return definition.filter(wanted::equals).isPresent() ? List.of() : List.of(wanted);
    }
}
