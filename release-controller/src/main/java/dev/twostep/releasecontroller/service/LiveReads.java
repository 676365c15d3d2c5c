package dev.twostep.releasecontroller.service;

import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.releasecontroller.evaluation.Evaluation;
import dev.twostep.releasecontroller.evaluation.FlagEvaluator;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.view.ArtefactContentsEntity;
import dev.twostep.releasecontroller.view.ArtefactContentsRepository;
import dev.twostep.releasecontroller.view.FeatureReleaseEntity;
import dev.twostep.releasecontroller.view.FeatureReleaseRepository;
import dev.twostep.releasecontroller.view.JsonText;
import dev.twostep.releasecontroller.view.RolloutEntity;
import dev.twostep.releasecontroller.view.RolloutRepository;
import dev.twostep.releasecontroller.view.RunningVersionEntity;
import dev.twostep.releasecontroller.view.RunningVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * "Which commit is live for which users right now": the one question that needs both deploy and release. The
 * release-controller owns it, because it already follows what runs where (with provenance) and who sees what.
 */
@ApplicationScoped
public class LiveReads {

    private final RunningVersionRepository running;
    private final ArtefactContentsRepository contents;
    private final FeatureReleaseRepository releases;
    private final RolloutRepository rollouts;
    private final FlagSnapshot snapshot;

    LiveReads(RunningVersionRepository running, ArtefactContentsRepository contents,
              FeatureReleaseRepository releases, RolloutRepository rollouts, FlagSnapshot snapshot) {
        this.running = running;
        this.contents = contents;
        this.releases = releases;
        this.rollouts = rollouts;
        this.snapshot = snapshot;
    }

    public record LiveApplication(String application, String version, String digest, String commit, String buildId,
                                  String runUrl, Instant since, String deploymentId) {
    }

    public record LiveRollout(String rolloutId, int step, int steps, double percentage) {
    }

    /** {@code onForUser} and {@code servedByCommit} answer for the user asked about, if any. */
    public record LiveFeature(String featureKey, String application, Audience audience, String audienceText,
                              LiveRollout rollout, Boolean onForUser, String servedByCommit) {
    }

    public record Live(String environment, String user, List<LiveApplication> applications,
                       List<LiveFeature> features) {
    }

    @Transactional
    public Live live(String environment, String user) {
        List<LiveApplication> applications = new ArrayList<>();
        List<LiveFeature> features = new ArrayList<>();
        for (RunningVersionEntity version : running.inEnvironment(environment)) {
            ArtefactContentsEntity artefact = contents.findById(
                    ArtefactEvent.aggregateId(version.application, version.version));
            applications.add(new LiveApplication(version.application, version.version,
                    artefact == null ? null : artefact.digest, artefact == null ? null : artefact.commit,
                    artefact == null ? null : artefact.buildId, artefact == null ? null : artefact.runUrl,
                    version.since, version.deploymentId));
            if (artefact != null) {
                for (String featureKey : JsonText.strings(artefact.features)) {
                    features.add(feature(featureKey, environment, version.application, artefact.commit, user));
                }
            }
        }
        applications.sort(Comparator.comparing(LiveApplication::application));
        features.sort(Comparator.comparing(LiveFeature::featureKey));
        return new Live(environment, user, applications, features);
    }

    private LiveFeature feature(String featureKey, String environment, String application, String commit,
                                String user) {
        Audience audience = releases.ofFeature(featureKey).stream().filter(r -> r.environment.equals(environment))
                .findFirst().map(LiveReads::audience).orElse(Audience.NOBODY);
        LiveRollout rollout = rollouts.activeOf(featureKey).stream().filter(r -> r.environment.equals(environment))
                .findFirst().map(LiveReads::rollout).orElse(null);
        Boolean on = null;
        if (user != null) {
            on = snapshot.flag(featureKey).map(flag -> FlagEvaluator.evaluate(flag, environment, user))
                    .map(evaluation -> evaluation instanceof Evaluation.Success success && success.value())
                    .orElse(false);
        }
        return new LiveFeature(featureKey, application, audience, describe(audience), rollout, on,
                user == null ? null : commit);
    }

    private static Audience audience(FeatureReleaseEntity release) {
        return new Audience(release.percentage, JsonText.strings(release.users));
    }

    private static LiveRollout rollout(RolloutEntity rollout) {
        return new LiveRollout(rollout.rolloutId, rollout.step, JsonText.plan(rollout.plan).steps().size(),
                rollout.percentage);
    }

    /** Nobody, everyone, a percentage, listed users, or a percentage plus listed users. */
    static String describe(Audience audience) {
        String share = audience.percentage() >= 100 ? "everyone"
                : BigDecimal.valueOf(audience.percentage()).stripTrailingZeros().toPlainString() + "%";
        if (audience.users().isEmpty()) {
            return audience.percentage() == 0 ? "nobody" : share;
        }
        String users = audience.users().size() + " listed users";
        return audience.percentage() == 0 ? users : share + " + " + users;
    }
}
