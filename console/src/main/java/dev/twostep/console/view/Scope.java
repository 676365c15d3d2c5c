package dev.twostep.console.view;

import dev.twostep.console.intake.Projection;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the console has heard of: environments, applications, and which application was deployed where. */
@ApplicationScoped
public class Scope {

    private final AgroalDataSource dataSource;

    Scope(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An environment is known once a change was logged there (every fact of an environment logs one). */
    public boolean knowsEnvironment(String name) {
        return !Projection.EVERY_ENVIRONMENT.equals(name)
                && exists("SELECT 1 FROM change_log WHERE environment = ? LIMIT 1", name);
    }

    /** An application is known once an artefact or a successful deployment of it was seen. */
    public boolean knowsApplication(String name) {
        return exists("SELECT 1 FROM artefact_version WHERE application = ? LIMIT 1", name)
                || exists("SELECT 1 FROM deployed_pair WHERE application = ? LIMIT 1", name);
    }

    /**
     * Each environment with the applications ever deployed there. The environments are read from the change log's
     * index one distinct value at a time (a loose index scan), so the cost grows with the number of environments,
     * not of changes.
     */
    public Map<String, List<String>> deployed() {
        Map<String, List<String>> byEnvironment = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("WITH RECURSIVE environments AS ("
                     + " (SELECT environment FROM change_log ORDER BY environment LIMIT 1)"
                     + " UNION ALL SELECT (SELECT c.environment FROM change_log c WHERE c.environment > e.environment"
                     + " ORDER BY c.environment LIMIT 1) FROM environments e WHERE e.environment IS NOT NULL)"
                     + " SELECT e.environment, p.application FROM environments e"
                     + " LEFT JOIN deployed_pair p ON p.environment = e.environment"
                     + " WHERE e.environment IS NOT NULL AND e.environment <> ? ORDER BY 1, 2")) {
            select.setString(1, Projection.EVERY_ENVIRONMENT);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    List<String> applications = byEnvironment.computeIfAbsent(rows.getString(1),
                            name -> new ArrayList<>());
                    if (rows.getString(2) != null) {
                        applications.add(rows.getString(2));
                    }
                }
            }
            return byEnvironment;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the known environments", e);
        }
    }

    private boolean exists(String sql, String value) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read what the console knows", e);
        }
    }
}
