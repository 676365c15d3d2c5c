package dev.twostep.console.web;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** Every feature the console has heard of and its application, from the artefacts and definitions that name it. */
@ApplicationScoped
public class FeatureCatalogue {

    private final AgroalDataSource dataSource;

    FeatureCatalogue(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Feature key to application, in key order. */
    public Map<String, String> features() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT feature_key, min(application) FROM feature_application GROUP BY feature_key");
             ResultSet rows = select.executeQuery()) {
            Map<String, String> features = new TreeMap<>();
            while (rows.next()) {
                features.put(rows.getString(1), rows.getString(2));
            }
            return features;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the features", e);
        }
    }
}
