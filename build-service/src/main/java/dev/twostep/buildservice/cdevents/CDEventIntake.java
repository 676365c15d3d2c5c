package dev.twostep.buildservice.cdevents;

import dev.twostep.buildservice.service.BuildService;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.outbox.ConcurrencyConflict;
import dev.twostep.outbox.EventMetadata;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

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

    private final BuildService builds;

    CDEventIntake(BuildService builds) {
        this.builds = builds;
    }

    public Result accept(CDEvent event, String actor) {
        if (event instanceof CDEvent.BuildFinished finished && finished.purl() == null) {
            return new Result(Status.NO_ARTEFACT, null);
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> join(event, actor));
        } catch (ConcurrencyConflict | PersistenceException raced) {
            // Another event about the same artefact won a race; its row now exists, so join again.
            return QuarkusTransaction.requiringNew().call(() -> join(event, actor));
        }
    }

    private Result join(CDEvent event, String actor) {
        PendingArtefactEntity pending = findById(event.purl(), LockModeType.PESSIMISTIC_WRITE);
        if (pending == null) {
            pending = new PendingArtefactEntity();
            pending.purl = event.purl();
            persistAndFlush(pending);
        }
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
