package dev.twostep.releasecontroller.service;

import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.release.DeployedCode;
import dev.twostep.releasecontroller.release.DeployedCode.RunningVersion;
import dev.twostep.releasecontroller.view.ArtefactContentsEntity;
import dev.twostep.releasecontroller.view.ArtefactContentsRepository;
import dev.twostep.releasecontroller.view.DeployedVersion;
import dev.twostep.releasecontroller.view.JsonText;
import dev.twostep.releasecontroller.view.RunningVersionEntity;
import dev.twostep.releasecontroller.view.RunningVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The projection of other services' facts that releases depend on: which features each artefact
 * version contains, and which version of each application runs in each environment.
 */
@ApplicationScoped
public class DeployedService {

    private final ArtefactContentsRepository contents;
    private final RunningVersionRepository running;

    DeployedService(ArtefactContentsRepository contents, RunningVersionRepository running) {
        this.contents = contents;
        this.running = running;
    }

    /**
     * A deployment that changed what runs: {@code application} runs a new version in {@code environment} and no longer
     * {@code replacedVersion} (null when none ran there before).
     */
    public record CodeChange(String environment, String application, String replacedVersion) {
    }

    /** @return the environments that already run this version (their deploy was seen first) */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> recordArtefact(ArtefactPublished published) {
        String id = ArtefactEvent.aggregateId(published.name(), published.version());
        if (contents.findByIdOptional(id).isEmpty()) {
            ArtefactContentsEntity row = new ArtefactContentsEntity();
            row.artefactId = id;
            row.name = published.name();
            row.version = published.version();
            row.features = JsonText.write(published.features());
            row.digest = published.digest();
            row.commit = published.commit();
            row.buildId = published.buildId();
            row.runUrl = published.runUrl();
            contents.persist(row);
            contents.recordFeatures(published.name(), published.version(), published.features());
        }
        return running.running(published.name(), published.version()).stream().map(r -> r.environment).toList();
    }

    /**
     * After it, the version runs in the environment. Deployments are keyed by their own ids, so two
     * of one application may arrive out of order, or at once on two replicas; the later success (by
     * event time) wins whatever the order of the commits.
     *
     * @return what it changed, empty when it changed nothing
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<CodeChange> recordDeployment(DeploymentSucceeded succeeded, EventEnvelope envelope) {
        RunningVersionEntity row = new RunningVersionEntity();
        row.id = RunningVersionEntity.idOf(succeeded.environment(), succeeded.application());
        row.environment = succeeded.environment();
        row.application = succeeded.application();
        row.version = succeeded.version();
        row.deploymentId = succeeded.deploymentId();
        row.since = envelope.time();
        row.correlationId = envelope.correlationId() != null ? envelope.correlationId() : envelope.id().toString();
        row.eventId = envelope.id().toString();
        String replaced = running.lockedVersion(row.id).orElse(null);
        return running.recordIfNewer(row)
                ? Optional.of(new CodeChange(row.environment, row.application, replaced))
                : Optional.empty();
    }

    /**
     * What runs in the environment as far as it bears on the feature: the versions that contain it, and those whose
     * contents are unknown yet that {@link DeployedCode#presenceOf} weighs. Its presence is the same as in the whole
     * environment's code, found by one statement (an index probe per application running there) instead of loading
     * every running version and its contents.
     */
    public DeployedCode relevantTo(String featureKey, String application, String environment) {
        List<RunningVersionEntity> versions = running.relevantTo(featureKey, application, environment);
        if (versions.isEmpty()) {
            return new DeployedCode(environment, List.of());
        }
        Map<String, List<String>> known = contents.list("artefactId in ?1", versions.stream()
                        .map(r -> ArtefactEvent.aggregateId(r.application, r.version)).toList()).stream()
                .collect(Collectors.toMap(c -> c.artefactId, c -> JsonText.strings(c.features)));
        return new DeployedCode(environment, versions.stream().map(r -> new RunningVersion(r.application, r.version,
                Optional.ofNullable(known.get(ArtefactEvent.aggregateId(r.application, r.version))))).toList());
    }

    /**
     * The story a release of the feature in the environment continues: that of the most recent
     * deployment there whose version contains it. Empty where no such version runs.
     */
    public Optional<EventMetadata> storyOf(String featureKey, String environment, String actor) {
        return running.containing(featureKey, environment).stream()
                .max(Comparator.comparing(r -> r.since))
                .map(r -> new EventMetadata(r.correlationId, r.eventId, actor, null));
    }

    /** Every environment where a running version contains the feature, with those versions. */
    public Map<String, List<DeployedVersion>> containing(String featureKey) {
        return running.containing(featureKey).stream()
                .collect(Collectors.groupingBy(r -> r.environment, Collectors.mapping(
                        r -> new DeployedVersion(r.application, r.version),
                        Collectors.toList())));
    }
}
