package dev.twostep.buildservice.build;

import dev.twostep.events.BuildEvent;
import dev.twostep.events.BuildEvent.BuildCompleted;

import java.util.List;
import java.util.Optional;

/**
 * The build aggregate: a finished CI run, recorded once. Pure decide/evolve, no I/O.
 *
 * @param recorded the run as first recorded, empty for a build not seen yet
 * @param version  how many events the aggregate has (its optimistic-concurrency version)
 */
public record Build(Optional<BuildCompleted> recorded, long version) {

    public static final Build NONE = new Build(Optional.empty(), 0);

    /** CI systems retry, so an exact repeat is accepted and changes nothing; another content is a conflict. */
    public sealed interface Decision {
        record Record(List<BuildEvent> events) implements Decision {
        }

        record AlreadyRecorded() implements Decision {
        }

        record Conflict(String detail) implements Decision {
        }
    }

    public static Build fold(List<? extends BuildEvent> history) {
        Build state = NONE;
        for (BuildEvent event : history) {
            state = state.evolve(event);
        }
        return state;
    }

    public Build evolve(BuildEvent event) {
        return switch (event) {
            case BuildCompleted completed -> new Build(Optional.of(completed), version + 1);
        };
    }

    public Decision decide(BuildCompleted reported) {
        if (recorded.isEmpty()) {
            return new Decision.Record(List.of(reported));
        }
        if (recorded.get().equals(reported)) {
            return new Decision.AlreadyRecorded();
        }
        return new Decision.Conflict("build " + reported.buildId()
                + " is already recorded with other content; a build id names one CI run");
    }
}
