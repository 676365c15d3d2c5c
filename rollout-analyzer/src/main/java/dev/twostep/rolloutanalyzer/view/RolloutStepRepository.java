package dev.twostep.rolloutanalyzer.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RolloutStepRepository implements PanacheRepositoryBase<RolloutStepEntity, RolloutStepEntity.Key> {

    public List<RolloutStepEntity> stepsOf(String rolloutId) {
        return list("rolloutId = ?1 order by percent", rolloutId);
    }
}
