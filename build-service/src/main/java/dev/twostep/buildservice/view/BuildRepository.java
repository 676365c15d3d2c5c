package dev.twostep.buildservice.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class BuildRepository implements PanacheRepositoryBase<BuildEntity, String> {

    public List<BuildEntity> byCommit(String repository, String commit) {
        if (repository == null) {
            return list("commit = ?1 order by recordedAt desc", commit);
        }
        if (commit == null) {
            return list("repository = ?1 order by recordedAt desc", repository);
        }
        return list("repository = ?1 and commit = ?2 order by recordedAt desc", repository, commit);
    }
}
