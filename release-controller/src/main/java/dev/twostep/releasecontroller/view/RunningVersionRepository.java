package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;

import java.util.List;
import java.util.Optional;

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

    /*
     * The running versions that bear on a feature's presence in an environment: those whose artefact contains it, and
     * those whose artefact has not been seen yet, of its application (of any, for a feature without one). Index probes
     * per running version of the environment, in one statement.
     */
    private static final String RELEVANT_TO_FEATURE = """
            SELECT r.* FROM running_version r
            WHERE r.environment = :environment
              AND (EXISTS (SELECT 1 FROM artefact_feature f
                           WHERE f.name = r.application AND f.version = r.version AND f.feature_key = :feature)
                   OR (CAST(:application AS text) IS NULL OR r.application = :application)
                      AND NOT EXISTS (SELECT 1 FROM artefact_contents c
                                      WHERE c.artefact_id = r.application || '@' || r.version))""";

    private static final String CONTAINING_FEATURE = """
            SELECT r.* FROM artefact_feature f
            JOIN running_version r ON r.application = f.name AND r.version = f.version
            WHERE f.feature_key = :feature""";

    public List<RunningVersionEntity> inEnvironment(String environment) {
        return list("environment", environment);
    }

    public List<RunningVersionEntity> relevantTo(String featureKey, String application, String environment) {
        return rows(getEntityManager().createNativeQuery(RELEVANT_TO_FEATURE, RunningVersionEntity.class)
                .setParameter("environment", environment).setParameter("feature", featureKey)
                .setParameter("application", application));
    }

    /** The running versions, in every environment, whose artefact contains the feature. */
    public List<RunningVersionEntity> containing(String featureKey) {
        return rows(getEntityManager().createNativeQuery(CONTAINING_FEATURE, RunningVersionEntity.class)
                .setParameter("feature", featureKey));
    }

    public List<RunningVersionEntity> containing(String featureKey, String environment) {
        return containing(featureKey).stream().filter(r -> r.environment.equals(environment)).toList();
    }

    /** The version the row records, its row locked until the transaction ends, so that no other writer moves it. */
    public Optional<String> lockedVersion(String id) {
        return rows(getEntityManager().createNativeQuery(
                        "SELECT * FROM running_version WHERE id = :id FOR UPDATE", RunningVersionEntity.class)
                .setParameter("id", id)).stream().map(r -> r.version).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<RunningVersionEntity> rows(Query query) {
        return query.getResultList();
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
