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

    /** Releases in the environment that reach anybody: an audience, or a definition that may serve a non-default. */
    public List<FeatureReleaseEntity> switchedOnIn(String environment) {
        return list("environment = ?1 and (percentage > 0 or users <> '[]' or servesNonDefault = true)", environment);
    }
}
