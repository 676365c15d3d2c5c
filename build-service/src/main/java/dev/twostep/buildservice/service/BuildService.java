package dev.twostep.buildservice.service;

import dev.twostep.buildservice.build.Build;
import dev.twostep.buildservice.view.BuildRepository;
import dev.twostep.buildservice.view.BuildView;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class BuildService {

    public enum Recorded { NEW, REPEAT }

    private final CommandPath commands;
    private final BuildRepository builds;

    BuildService(CommandPath commands, BuildRepository builds) {
        this.commands = commands;
        this.builds = builds;
    }

    /**
     * Records a finished CI run once, reported by {@code actor}. Two identical posts racing each other both succeed: the
     * loser of the append race decides again and finds an exact repeat.
     */
    public Recorded record(BuildCompleted reported, String actor) {
        EventMetadata metadata = EventMetadata.startedBy(actor);
        return commands.call(() -> recordWithin(reported, metadata));
    }

    /** Records a finished CI run in the caller's transaction, as part of the story {@code metadata} names. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recorded recordWithin(BuildCompleted reported, EventMetadata metadata) {
        List<EventEnvelope> appended = commands.decide(reported.buildId(), Build::fold,
                build -> switch (build.decide(reported)) {
                    case Build.Decision.Record record -> record.events();
                    case Build.Decision.AlreadyRecorded repeat -> List.<BuildEvent>of();
                    case Build.Decision.Conflict conflict -> throw ProblemException.conflict(conflict.detail());
                }, metadata, this::project);
        return appended.isEmpty() ? Recorded.REPEAT : Recorded.NEW;
    }

    private void project(EventEnvelope recorded) {
        builds.persist(BuildView.row((BuildCompleted) recorded.data(), recorded.time()));
    }

    public Optional<BuildView> find(String buildId) {
        return builds.findByIdOptional(buildId).map(BuildView::of);
    }

    public List<BuildView> byCommit(String repository, String commit) {
        return builds.byCommit(repository, commit).stream().map(BuildView::of).toList();
    }
}
