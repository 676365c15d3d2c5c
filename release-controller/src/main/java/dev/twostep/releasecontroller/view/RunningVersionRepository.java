package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RunningVersionRepository implements PanacheRepositoryBase<RunningVersionEntity, String> {

    /*
     * One statement, so that the comparison and the write cannot be split by another transaction: on a conflict
     * PostgreSQL locks the row, waits for a concurrent writer of it to end, and checks the condition against the row
     * that writer left. Equal times fall back to the event id, so that every replica and every commit order agree.
     */
    private static final String RECORD_IF_NEWER = """
            INSERT INTO running_version AS running
                   (id, environment, application, version, deployment_id, since, correlation_id, event_id)
            VALUES (:id, :environment, :application, :version, :deploymentId, :since, :correlationId, :eventId)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, deployment_id = excluded.deployment_id,
                   since = excluded.since, correlation_id = excluded.correlation_id, event_id = excluded.event_id
            WHERE (excluded.since, excluded.event_id) > (running.since, running.event_id)""";

    public List<RunningVersionEntity> inEnvironment(String environment) {
        return list("environment", environment);
    }

    public List<RunningVersionEntity> running(String application, String version) {
        return list("application = ?1 and version = ?2", application, version);
    }

    /**
     * Makes the row say what {@code row} says unless the recorded deployment is newer (by {@code since}).
     *
     * @return whether the row changed
     */
    public boolean recordIfNewer(RunningVersionEntity row) {
        int changed = getEntityManager().createNativeQuery(RECORD_IF_NEWER)
                .setParameter("id", row.id)
                .setParameter("environment", row.environment)
                .setParameter("application", row.application)
                .setParameter("version", row.version)
                .setParameter("deploymentId", row.deploymentId)
                .setParameter("since", row.since)
                .setParameter("correlationId", row.correlationId)
                .setParameter("eventId", row.eventId)
                .executeUpdate();
        if (changed == 0) {
            return false;
        }
        // The statement went past this session: a copy that an earlier event of the same poll loaded is stale now.
        findByIdOptional(row.id).ifPresent(getEntityManager()::refresh);
        return true;
    }
}
