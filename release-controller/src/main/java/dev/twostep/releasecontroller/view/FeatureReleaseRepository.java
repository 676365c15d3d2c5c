package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class FeatureReleaseRepository implements PanacheRepositoryBase<FeatureReleaseEntity, String> {

    public List<FeatureReleaseEntity> ofFeature(String featureKey) {
        return list("featureKey", featureKey);
    }

    /** Releases in the environment that reach anybody. */
    public List<FeatureReleaseEntity> switchedOnIn(String environment) {
        return list("environment = ?1 and (percentage > 0 or users <> '[]')", environment);
    }
}
