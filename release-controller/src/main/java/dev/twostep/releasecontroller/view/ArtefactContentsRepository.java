package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ArtefactContentsRepository implements PanacheRepositoryBase<ArtefactContentsEntity, String> {

    /** Records the artefact's features one row each ({@code artefact_feature}), beside its contents row. */
    public void recordFeatures(String name, String version, List<String> features) {
        for (String feature : features) {
            getEntityManager().createNativeQuery("""
                            INSERT INTO artefact_feature (name, version, feature_key) VALUES (?1, ?2, ?3)
                            ON CONFLICT DO NOTHING""")
                    .setParameter(1, name).setParameter(2, version).setParameter(3, feature).executeUpdate();
        }
    }
}
