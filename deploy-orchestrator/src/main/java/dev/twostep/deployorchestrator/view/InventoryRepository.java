package dev.twostep.deployorchestrator.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class InventoryRepository implements PanacheRepositoryBase<InventoryEntity, InventoryEntity.Key> {

    public Optional<InventoryEntity> find(String environment, String application) {
        return findByIdOptional(new InventoryEntity.Key(environment, application));
    }

    public List<InventoryEntity> of(String environment) {
        return list("environment = ?1 order by application", environment);
    }
}
