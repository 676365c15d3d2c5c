package dev.twostep.console.view;

import dev.twostep.console.delivery.Fact;
import dev.twostep.console.delivery.Provenance;
import dev.twostep.console.delivery.Window;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads, for one application in one environment, the facts that {@code DeliveryMetrics} needs for a window: the facts
 * in the window, and as context only the first of each kind that decides whether something in the window is new (the
 * first success of each version deployed in it, each feature's first exposure and first 100 %, the first successful
 * deployment of a version containing a feature first exposed in it), plus the provenance of every version named.
 * Every read is an index range or a probe per item, never a scan of the history; all of them share one snapshot.
 */
@ApplicationScoped
public class DeliveryFacts {

    private static final String COLUMNS = "event_id, kind, at, deployment_id, version, other_version, feature_key,"
            + " percentage, users, previous_percentage, previous_users, rollout_id, decision_id, reason";
    private static final String FIRST_SUCCESS = "SELECT " + COLUMNS.replaceAll("(\\w+)", "d.$1")
            + " FROM unnest(?::text[]) AS v(version) CROSS JOIN LATERAL (SELECT * FROM delivery_fact f"
            + " WHERE f.environment = ? AND f.application = ? AND f.version = v.version AND f.kind = 'deploy.succeeded'"
            + " AND f.at < ? ORDER BY f.at, f.event_id LIMIT 1) d";

    private final AgroalDataSource dataSource;

    DeliveryFacts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The facts and the provenance of their versions. */
    public record Input(List<Fact> facts, Map<String, Provenance> provenance) {
    }

    public Input load(String application, String environment, Window window) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                Input input = load(connection, application, environment, window);
                connection.commit();
                return input;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the delivery facts of " + application + " in " + environment,
                    e);
        }
    }

    private Input load(Connection connection, String application, String environment, Window window)
            throws SQLException {
        OffsetDateTime from = window.from().atOffset(ZoneOffset.UTC);
        OffsetDateTime to = window.to().atOffset(ZoneOffset.UTC);
        List<Fact> facts = new ArrayList<>();
        facts.addAll(select(connection, "SELECT " + COLUMNS + " FROM delivery_fact WHERE environment = ?"
                + " AND application = ? AND at >= ? AND at < ?", environment, application, from, to));
        Set<String> versions = new LinkedHashSet<>();
        facts.forEach(fact -> {
            if (fact instanceof Fact.DeploySucceeded success) {
                versions.add(success.version());
            }
        });
        facts.addAll(select(connection, FIRST_SUCCESS, array(connection, versions), environment, application, to));

        List<String> features = strings(connection, "SELECT feature_key FROM feature_application WHERE application = ?",
                application);
        List<Fact> releases = select(connection, "SELECT " + COLUMNS + " FROM delivery_fact WHERE environment = ?"
                + " AND feature_key = ANY(?) AND at >= ? AND at < ?", environment, array(connection, features), from, to);
        facts.addAll(releases);
        // A feature first exposed (or first at 100 %) in the window has such a release fact in the window: only those
        // features need a probe for their first one, whatever the application's history of features. The conditions
        // are those of the partial indexes delivery_fact_exposure and delivery_fact_everyone.
        List<Fact> firsts = new ArrayList<>();
        for (boolean everyone : List.of(false, true)) {
            Set<String> candidates = new LinkedHashSet<>();
            releases.forEach(fact -> {
                if (fact instanceof Fact.Reach reach && (everyone ? reach.everyone() : reach.exposes())) {
                    candidates.add(reach.featureKey());
                }
            });
            if (candidates.isEmpty()) {
                continue;
            }
            String reached = everyone ? "f.kind IN ('release.audience', 'release.definition') AND f.percentage >= 100"
                    : "((f.kind = 'release.audience' AND (f.percentage > 0 OR f.users > 0))"
                    + " OR f.kind = 'release.definition')";
            firsts.addAll(select(connection, "SELECT " + COLUMNS.replaceAll("(\\w+)", "d.$1")
                    + " FROM unnest(?::text[]) AS k(feature_key) CROSS JOIN LATERAL (SELECT * FROM delivery_fact f"
                    + " WHERE f.environment = ? AND f.feature_key = k.feature_key AND " + reached
                    + " AND f.at < ? ORDER BY f.at, f.event_id LIMIT 1) d", array(connection, candidates), environment,
                    to));
        }
        facts.addAll(firsts);
        Set<String> exposedInWindow = new LinkedHashSet<>();
        firsts.stream().filter(first -> window.contains(first.at()))
                .forEach(first -> exposedInWindow.add(((Fact.Reach) first).featureKey()));
        if (!exposedInWindow.isEmpty()) {
            List<String> carrying = strings(connection, "SELECT version FROM artefact_version WHERE application = ?"
                    + " AND features && ?::text[]", application, array(connection, exposedInWindow));
            facts.addAll(select(connection, FIRST_SUCCESS, array(connection, carrying), environment, application, to));
        }

        Set<String> named = new LinkedHashSet<>();
        facts.forEach(fact -> {
            switch (fact) {
                case Fact.DeploySucceeded success -> named.add(success.version());
                case Fact.DeployRequested asked -> named.add(asked.version());
                case Fact.DeployFailed failed -> named.add(failed.version());
                default -> {
                }
            }
        });
        return new Input(facts, provenance(connection, application, named));
    }

    private Map<String, Provenance> provenance(Connection connection, String application, Set<String> versions)
            throws SQLException {
        Map<String, Provenance> byVersion = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT a.version, a.build_id, a.commit,"
                + " a.features, a.event_id, b.finished_at, b.event_id FROM artefact_version a"
                + " LEFT JOIN build b ON b.build_id = a.build_id WHERE a.application = ? AND a.version = ANY(?)")) {
            select.setString(1, application);
            select.setArray(2, array(connection, versions));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String version = rows.getString(1);
                    byVersion.put(version, new Provenance(version, rows.getString(2), rows.getString(3),
                            Arrays.asList((String[]) rows.getArray(4).getArray()), rows.getObject(5, UUID.class),
                            instant(rows, 6), rows.getObject(7, UUID.class)));
                }
            }
        }
        return byVersion;
    }

    private static List<Fact> select(Connection connection, String sql, Object... parameters) throws SQLException {
        List<Fact> facts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    facts.add(fact(rows));
                }
            }
        }
        return facts;
    }

    private static Fact fact(ResultSet rows) throws SQLException {
        UUID id = rows.getObject("event_id", UUID.class);
        Instant at = instant(rows, 3);
        String kind = rows.getString("kind");
        return switch (kind) {
            case "deploy.requested" -> new Fact.DeployRequested(id, at, rows.getString("deployment_id"),
                    rows.getString("version"));
            case "deploy.succeeded" -> new Fact.DeploySucceeded(id, at, rows.getString("deployment_id"),
                    rows.getString("version"), rows.getString("other_version"));
            case "deploy.failed" -> new Fact.DeployFailed(id, at, rows.getString("deployment_id"),
                    rows.getString("version"), rows.getString("reason"));
            case "deploy.rolledback" -> new Fact.DeployRolledBack(id, at, rows.getString("deployment_id"),
                    rows.getString("other_version"), rows.getString("version"), rows.getString("reason"));
            case "release.audience" -> new Fact.AudienceChanged(id, at, rows.getString("feature_key"),
                    rows.getDouble("percentage"), rows.getInt("users"), rows.getDouble("previous_percentage"),
                    rows.getInt("previous_users"), rows.getString("rollout_id"), rows.getString("reason"));
            case "release.definition" -> new Fact.DefinitionReleased(id, at, rows.getString("feature_key"),
                    rows.getDouble("percentage") >= 100, rows.getString("reason"));
            case "release.rolledback" -> new Fact.FeatureRolledBack(id, at, rows.getString("feature_key"),
                    rows.getString("reason"), rows.getString("decision_id"), rows.getDouble("previous_percentage"),
                    rows.getInt("previous_users"));
            case "rollout.started" -> new Fact.RolloutStarted(id, at, rows.getString("feature_key"),
                    rows.getString("rollout_id"));
            case "rollout.completed" -> new Fact.RolloutCompleted(id, at, rows.getString("feature_key"),
                    rows.getString("rollout_id"));
            case "rollout.rollbackdecided" -> new Fact.RollbackDecided(id, at, rows.getString("feature_key"),
                    rows.getString("rollout_id"), rows.getString("decision_id"));
            default -> throw new IllegalStateException("a delivery fact of unknown kind " + kind);
        };
    }

    private static List<String> strings(Connection connection, String sql, Object... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static Array array(Connection connection, java.util.Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    public static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
