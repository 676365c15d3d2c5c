package dev.twostep.artifactregistry.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ArtefactRepository implements PanacheRepositoryBase<ArtefactEntity, ArtefactEntity.Key> {

    public Optional<ArtefactEntity> find(String name, String version) {
        return findByIdOptional(new ArtefactEntity.Key(name, version));
    }

    public List<ArtefactEntity> versionsOf(String name) {
        return list("name", name);
    }

    public List<ArtefactEntity> byCommit(String commit) {
        return list("commit = ?1 order by publishedAt desc", commit);
    }
}
