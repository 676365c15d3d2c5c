package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<RolloutEntity, String> {

    public List<RolloutEntity> activeOf(String featureKey) {
        return list("featureKey = ?1 and status = ?2", featureKey, RolloutEntity.ACTIVE);
    }
}
