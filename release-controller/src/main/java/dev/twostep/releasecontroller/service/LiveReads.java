package dev.twostep.releasecontroller.service;

import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.releasecontroller.evaluation.Evaluation;
import dev.twostep.releasecontroller.evaluation.FlagEvaluator;
import dev.twostep.releasecontroller.evaluation.FlagRelease;
import dev.twostep.releasecontroller.feature.FlagDefinition;
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
import java.util.Locale;
import java.util.Optional;

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

    /**
     * {@code onForUser}, {@code variantForUser}, {@code reasonForUser} and {@code servedByCommit} answer for the user
     * asked about, if any; "on" means the value true for a boolean flag, and a variant other than the default for a
     * flag definition of another type.
     */
    public record LiveFeature(String featureKey, String application, Audience audience, String audienceText,
                              LiveRollout rollout, Boolean onForUser, String variantForUser, String reasonForUser,
                              String servedByCommit) {
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
        Optional<FlagRelease> release = snapshot.flag(featureKey).map(flag -> flag.environments().get(environment));
        String text = release.map(FlagRelease::definition).map(LiveReads::describe).orElse(describe(audience));
        if (user == null) {
            return new LiveFeature(featureKey, application, audience, text, rollout, null, null, null, null);
        }
        // Only the targeting key is known of the user here; rules over other attributes see them missing.
        Evaluation evaluation = snapshot.flag(featureKey).map(flag -> FlagEvaluator.evaluate(flag, environment, user,
                null)).orElse(null);
        if (!(evaluation instanceof Evaluation.Success success)) {
            String why = evaluation instanceof Evaluation.Failure failure ? failure.errorCode() : "DISABLED";
            return new LiveFeature(featureKey, application, audience, text, rollout, false, null, why, commit);
        }
        String defaultVariant = release.map(FlagRelease::definition).map(FlagDefinition::defaultVariant).orElse(null);
        boolean on = success.value() instanceof Boolean b ? b
                : defaultVariant != null && !defaultVariant.equals(success.variant());
        return new LiveFeature(featureKey, application, audience, text, rollout, on, success.variant(),
                success.reason(), commit);
    }

    /** For example "definition: 3 string variants, default classic, with targeting". */
    static String describe(FlagDefinition definition) {
        return "definition: " + definition.variants().size() + " " + definition.type().name().toLowerCase(Locale.ROOT)
                + " variants, default " + definition.defaultVariant() + (definition.enabled() ? "" : ", DISABLED")
                + (definition.targeting() == null ? "" : ", with targeting");
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
