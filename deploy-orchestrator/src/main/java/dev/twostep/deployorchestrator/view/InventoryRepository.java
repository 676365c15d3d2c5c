package dev.twostep.deployorchestrator.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class InventoryRepository implements PanacheRepositoryBase<InventoryEntity, InventoryEntity.Key> {

    public Optional<InventoryEntity> find(String environment, String application) {
        return findByIdOptional(new InventoryEntity.Key(environment, application));
    }

    /**
     * What runs, locked until the transaction ends, so that what a rollback decides to put back cannot be
     * overtaken by another deployment's success committed meanwhile.
     */
    public Optional<InventoryEntity> lock(String environment, String application) {
        return findByIdOptional(new InventoryEntity.Key(environment, application), LockModeType.PESSIMISTIC_WRITE);
    }

    public List<InventoryEntity> of(String environment) {
        return list("environment = ?1 order by application", environment);
    }
}
