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
        }
        return running.running(published.name(), published.version()).stream().map(r -> r.environment).toList();
    }

    /**
     * After it, the version runs in the environment. Deployments are keyed by their own ids, so two
     * of one application may arrive out of order, or at once on two replicas; the later success (by
     * event time) wins whatever the order of the commits.
     *
     * @return whether it changed what runs
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordDeployment(DeploymentSucceeded succeeded, EventEnvelope envelope) {
        RunningVersionEntity row = new RunningVersionEntity();
        row.id = RunningVersionEntity.idOf(succeeded.environment(), succeeded.application());
        row.environment = succeeded.environment();
        row.application = succeeded.application();
        row.version = succeeded.version();
        row.deploymentId = succeeded.deploymentId();
        row.since = envelope.time();
        row.correlationId = envelope.correlationId() != null ? envelope.correlationId() : envelope.id().toString();
        row.eventId = envelope.id().toString();
        return running.recordIfNewer(row);
    }

    public DeployedCode in(String environment) {
        List<RunningVersionEntity> versions = running.inEnvironment(environment);
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
        return running.inEnvironment(environment).stream()
                .filter(r -> contents.findByIdOptional(ArtefactEvent.aggregateId(r.application, r.version))
                        .map(c -> JsonText.strings(c.features).contains(featureKey)).orElse(false))
                .max(Comparator.comparing(r -> r.since))
                .map(r -> new EventMetadata(r.correlationId, r.eventId, actor, null));
    }

    /** Every environment where a running version contains the feature, with those versions. */
    public Map<String, List<DeployedVersion>> containing(String featureKey) {
        String quoted = JsonText.write(List.of(featureKey));
        String needle = "%" + quoted.substring(1, quoted.length() - 1) + "%";
        return contents.list("features like ?1", needle).stream()
                .filter(c -> JsonText.strings(c.features).contains(featureKey))
                .flatMap(c -> running.running(c.name, c.version).stream())
                .collect(Collectors.groupingBy(r -> r.environment, Collectors.mapping(
                        r -> new DeployedVersion(r.application, r.version),
                        Collectors.toList())));
    }
}
