package dev.twostep.rolloutanalyzer.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<RolloutEntity, String> {

    public List<String> activeIds() {
        return list("status", RolloutEntity.Status.ACTIVE.name()).stream().map(rollout -> rollout.rolloutId).toList();
    }
}
