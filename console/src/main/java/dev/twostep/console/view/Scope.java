package dev.twostep.console.view;

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

    public boolean knowsEnvironment(String name) {
        return exists("SELECT 1 FROM known_environment WHERE name = ?", name);
    }

    public boolean knowsApplication(String name) {
        return exists("SELECT 1 FROM known_application WHERE name = ?", name);
    }

    /** Each environment with the applications ever deployed there, by name. */
    public Map<String, List<String>> deployed() {
        Map<String, List<String>> byEnvironment = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT e.name, p.application"
                     + " FROM known_environment e LEFT JOIN deployed_pair p ON p.environment = e.name"
                     + " ORDER BY e.name, p.application");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                List<String> applications = byEnvironment.computeIfAbsent(rows.getString(1), name -> new ArrayList<>());
                if (rows.getString(2) != null) {
                    applications.add(rows.getString(2));
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
