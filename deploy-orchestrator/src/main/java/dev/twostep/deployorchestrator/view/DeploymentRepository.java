package dev.twostep.deployorchestrator.view;

import dev.twostep.deployorchestrator.deployment.Deployment.Status;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<DeploymentEntity, String> {

    private static final List<String> IN_FLIGHT = List.of(Status.REQUESTED.name(), Status.STARTED.name());

    public Optional<DeploymentEntity> inFlight(String application, String environment) {
        return find("application = ?1 and environment = ?2 and status in ?3", application, environment, IN_FLIGHT)
                .firstResultOptional();
    }

    public boolean hasSucceeded(String application, String version, String environment) {
        return count("application = ?1 and version = ?2 and environment = ?3 and status = ?4",
                application, version, environment, Status.SUCCEEDED.name()) > 0;
    }

    public Optional<DeploymentEntity> byIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    public List<String> startedIds() {
        return list("status", Status.STARTED.name()).stream().map(row -> row.id).toList();
    }

    /**
     * The started deployment, locked until the transaction ends, or empty when it has ended or another
     * transaction (another replica's supervisor) holds it: that one acts on it, this one moves on.
     */
    public Optional<DeploymentEntity> claimStarted(String id) {
        return getEntityManager().createNativeQuery(
                        "SELECT * FROM deployment WHERE id = ?1 AND status = 'STARTED' FOR UPDATE SKIP LOCKED",
                        DeploymentEntity.class)
                .setParameter(1, id).getResultStream().findFirst();
    }

    public List<DeploymentEntity> ofApplication(String application) {
        return list("application = ?1 order by requestedAt desc", application);
    }
}
