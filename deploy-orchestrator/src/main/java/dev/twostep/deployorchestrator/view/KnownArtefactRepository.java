package dev.twostep.deployorchestrator.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

@ApplicationScoped
public class KnownArtefactRepository implements PanacheRepositoryBase<KnownArtefactEntity, KnownArtefactEntity.Key> {

    public Optional<KnownArtefactEntity> find(String application, String version) {
        return findByIdOptional(new KnownArtefactEntity.Key(application, version));
    }
}
