package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class FeatureReleaseRepository implements PanacheRepositoryBase<FeatureReleaseEntity, String> {

    public List<FeatureReleaseEntity> ofFeature(String featureKey) {
        return list("featureKey", featureKey);
    }

    /** The flag definitions that stand in the environment. */
    public List<FeatureReleaseEntity> definedIn(String environment) {
        return list("environment = ?1 and definition is not null", environment);
    }

    /*
     * Releases that reach anybody (an audience, or a definition that may serve a non-default) and whose code the
     * change may have taken away: the features of the replaced version, and those of the application (or of none)
     * whose presence an unseen version of it kept unknown. Not every release in the environment: that cost grew with
     * every feature switched on there, at every deployment.
     */
    private static final String SWITCHED_ON_AND_MAYBE_GONE = """
            SELECT r.* FROM feature_release r
            WHERE r.environment = :environment
              AND (r.percentage > 0 OR r.users <> '[]' OR r.serves_non_default)
              AND (r.feature_key IN (SELECT f.feature_key FROM artefact_feature f
                                     WHERE f.name = :application AND f.version = :replaced)
                   OR r.feature_key IN (SELECT f.feature_key FROM feature f
                                        WHERE f.application = :application OR f.application IS NULL))""";

    /** See {@link #SWITCHED_ON_AND_MAYBE_GONE}; {@code replacedVersion} is null when no version was replaced. */
    @SuppressWarnings("unchecked")
    public List<FeatureReleaseEntity> switchedOnAndMaybeGone(String environment, String application,
                                                             String replacedVersion) {
        return getEntityManager().createNativeQuery(SWITCHED_ON_AND_MAYBE_GONE, FeatureReleaseEntity.class)
                .setParameter("environment", environment).setParameter("application", application)
                .setParameter("replaced", replacedVersion).getResultList();
    }
}
