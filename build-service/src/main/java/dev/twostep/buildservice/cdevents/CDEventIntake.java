package dev.twostep.buildservice.cdevents;

import dev.twostep.buildservice.service.BuildService;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Joins the CDEvents about one artefact into one {@code BuildCompleted}. The artefact's purl is the join key:
 * {@code artifact.packaged} names it as its subject, {@code build.finished} as its {@code artifactId}. The
 * build is recorded once both the packaging (what the artefact is, from which commit) and the end of the build
 * (or the artefact's publication) are known, whichever came first.
 */
@ApplicationScoped
public class CDEventIntake implements PanacheRepositoryBase<PendingArtefactEntity, String> {

    public enum Status { RECORDED, ALREADY_RECORDED, WAITING_FOR_PACKAGING, WAITING_FOR_BUILD, NO_ARTEFACT }

    /** @param buildId the build recorded from the events, once there is one */
    public record Result(Status status, String buildId) {
    }

    private final CommandPath commands;
    private final BuildService builds;

    CDEventIntake(CommandPath commands, BuildService builds) {
        this.commands = commands;
        this.builds = builds;
    }

    public Result accept(CDEvent event, String actor) {
        if (event instanceof CDEvent.BuildFinished finished && finished.purl() == null) {
            return new Result(Status.NO_ARTEFACT, null);
        }
        return commands.call(() -> join(event, actor));
    }

    private Result join(CDEvent event, String actor) {
        PendingArtefactEntity pending = pending(event.purl());
        if (pending.chainId == null) {
            pending.chainId = event.chainId();
        }
        switch (event) {
            case CDEvent.BuildFinished finished -> {
                pending.buildId = finished.buildId();
                pending.buildSource = finished.source();
                pending.buildFinishedAt = finished.finishedAt();
            }
            case CDEvent.ArtefactPackaged packaged -> {
                pending.name = packaged.artefact().name();
                pending.version = packaged.artefact().version();
                pending.digest = packaged.artefact().digest();
                pending.repository = packaged.repository();
                pending.commit = packaged.commit();
                pending.features = String.join(",", packaged.features());
                pending.packagedSource = packaged.source();
                pending.packagedAt = packaged.packagedAt();
            }
            case CDEvent.ArtefactPublished published -> pending.publishedAt = published.publishedAt();
        }
        if (pending.recordedBuildId != null) {
            return new Result(Status.ALREADY_RECORDED, pending.recordedBuildId);
        }
        if (pending.packagedAt == null) {
            return new Result(Status.WAITING_FOR_PACKAGING, null);
        }
        if (pending.buildFinishedAt == null && pending.publishedAt == null) {
            return new Result(Status.WAITING_FOR_BUILD, null);
        }
        BuildCompleted build = build(pending);
        builds.recordWithin(build, metadata(pending, actor));
        pending.recordedBuildId = build.buildId();
        return new Result(Status.RECORDED, build.buildId());
    }

    /**
     * The artefact's row, created when this is the first event about it, and locked: the events about one artefact
     * join one at a time. A row another event inserts at the same moment is waited for, not inserted twice.
     */
    private PendingArtefactEntity pending(String purl) {
        getEntityManager().createNativeQuery("INSERT INTO cdevent_artefact (purl) VALUES (?1) ON CONFLICT DO NOTHING")
                .setParameter(1, purl).executeUpdate();
        return findById(purl, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The build as Twostep records it. Without a build.finished, the artefact's publication ends the build, and
     * the build is named after the artefact's digest so that a repeat names the same build.
     */
    private static BuildCompleted build(PendingArtefactEntity pending) {
        String buildId = pending.buildId != null ? pending.buildId : "cdevents-" + pending.digest.substring(7, 23);
        String source = pending.buildSource != null ? pending.buildSource : pending.packagedSource;
        Instant finishedAt = pending.buildFinishedAt != null ? pending.buildFinishedAt : pending.publishedAt;
        Instant startedAt = pending.packagedAt.isBefore(finishedAt) ? pending.packagedAt : finishedAt;
        List<String> features = pending.features.isEmpty() ? List.of() : Arrays.asList(pending.features.split(","));
        return new BuildCompleted(buildId, "cdevents", source, pending.repository, pending.commit, null,
                dev.twostep.events.BuildEvent.Outcome.SUCCEEDED, startedAt, finishedAt,
                List.of(new BuiltArtefact(pending.name, pending.version, pending.digest, pending.purl, features)));
    }

    /**
     * A CDEvents chain id continues as the Twostep correlation id, so the whole story keeps one id. The actor is
     * whoever sent the half that completed the build.
     */
    private static EventMetadata metadata(PendingArtefactEntity pending, String actor) {
        String correlation = pending.chainId != null ? pending.chainId : UUID.randomUUID().toString();
        return new EventMetadata(correlation, null, actor, null);
    }
}
