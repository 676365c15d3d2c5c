package dev.twostep.releasecontroller.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.Plan;

import java.time.Instant;
import java.util.List;

/** A feature with, per environment, its audience, the deployed versions that contain it and its rollout. */
public record FeatureView(String featureKey, String application, String description, Instant definedAt,
                          List<EnvironmentView> environments) {

    /**
     * {@code audience} is nobody where the feature was never released; {@code rolloutId} is the
     * rollout that set the current audience, if a rollout did. {@code definition} is the flagd flag
     * definition that replaced the audience there, if one did.
     */
    public record EnvironmentView(String environment, Audience audience, Long sequence, String rolloutId,
                                  Instant changedAt, List<DeployedVersion> deployedVersions,
                                  RolloutView activeRollout,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode definition) {

        /** {@code release} and {@code rollout} may be null: never released there, nothing rolling out. */
        public static EnvironmentView of(String environment, FeatureReleaseEntity release,
                                         List<DeployedVersion> deployedVersions, RolloutEntity rollout) {
            RolloutView activeRollout = rollout == null ? null : RolloutView.of(rollout);
            if (release == null) {
                return new EnvironmentView(environment, Audience.NOBODY, null, null, null, deployedVersions,
                        activeRollout, null);
            }
            return new EnvironmentView(environment, new Audience(release.percentage, JsonText.strings(release.users)),
                    release.sequence, release.rolloutId, release.changedAt, deployedVersions, activeRollout,
                    release.definition == null ? null : JsonText.tree(release.definition));
        }
    }

    /** {@code step} is 1-based: the audience is at {@code plan.steps[step - 1]}. */
    /**
     * {@code percentage} is the audience's, or for a rollout of a flag definition's named variant, the share of
     * {@code treatment} against {@code control} (both absent for an audience's rollout).
     */
    public record RolloutView(String rolloutId, String featureKey, String environment, String status, int step,
                              double percentage, Plan plan, Instant startedAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String treatment,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String control) {

        public static RolloutView of(RolloutEntity row) {
            return new RolloutView(row.rolloutId, row.featureKey, row.environment, row.status, row.step,
                    row.percentage, JsonText.plan(row.plan), row.startedAt, row.treatment, row.control);
        }
    }
}
