package dev.twostep.buildservice.service;

import dev.twostep.buildservice.build.Build;
import dev.twostep.buildservice.view.BuildRepository;
import dev.twostep.buildservice.view.BuildView;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.ConcurrencyConflict;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class BuildService {

    public enum Recorded { NEW, REPEAT }

    private final EventStore store;
    private final BuildRepository builds;

    BuildService(EventStore store, BuildRepository builds) {
        this.store = store;
        this.builds = builds;
    }

    /**
     * Records a finished CI run once, reported by {@code actor}. Two identical posts racing each other both succeed: the
     * loser of the append race decides again and finds an exact repeat.
     */
    public Recorded record(BuildCompleted reported, String actor) {
        EventMetadata metadata = EventMetadata.startedBy(actor);
        try {
            return QuarkusTransaction.requiringNew().call(() -> recordWithin(reported, metadata));
        } catch (ConcurrencyConflict raced) {
            return QuarkusTransaction.requiringNew().call(() -> recordWithin(reported, metadata));
        }
    }

    /** Records a finished CI run in the caller's transaction, as part of the story {@code metadata} names. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recorded recordWithin(BuildCompleted reported, EventMetadata metadata) {
        List<EventEnvelope> history = store.load(reported.buildId());
        Build build = Build.fold(history.stream().map(e -> (BuildEvent) e.data()).toList());
        return switch (build.decide(reported)) {
            case Build.Decision.Record record -> {
                List<EventEnvelope> appended = store.append(reported.buildId(), build.version(), record.events(),
                        metadata);
                builds.persist(BuildView.row(reported, appended.getFirst().time()));
                yield Recorded.NEW;
            }
            case Build.Decision.AlreadyRecorded repeat -> Recorded.REPEAT;
            case Build.Decision.Conflict conflict -> throw ProblemException.conflict(conflict.detail());
        };
    }

    public Optional<BuildView> find(String buildId) {
        return builds.findByIdOptional(buildId).map(BuildView::of);
    }

    public List<BuildView> byCommit(String repository, String commit) {
        return builds.byCommit(repository, commit).stream().map(BuildView::of).toList();
    }
}
