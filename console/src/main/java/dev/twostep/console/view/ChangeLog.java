package dev.twostep.console.view;

import dev.twostep.console.intake.Projection;
import dev.twostep.console.suspects.Change;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads the change log: an environment's changes in {@code (since, at]}, an index range on (environment, at). */
@ApplicationScoped
public class ChangeLog {

    /** The most changes one answer lists, newest first; {@link Changes#truncated()} says when there were more. */
    public static final int LIMIT = 1000;

    private final AgroalDataSource dataSource;

    ChangeLog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Changes(List<Change> changes, boolean truncated) {
    }

    public Changes between(String environment, Instant since, Instant at) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT c.event_id, c.at, c.kind, c.application,"
                     + " c.feature_key, c.version, c.previous_version, c.commit, a.build_id, c.percentage,"
                     + " c.previous_percentage, c.users_changed, c.rollout_id, c.actor, c.reason, c.summary,"
                     + " c.correlation_id FROM change_log c LEFT JOIN artefact_version a"
                     + " ON a.application = c.application AND a.version = c.version"
                     + " WHERE c.environment IN (?, ?) AND c.at > ? AND c.at <= ?"
                     + " ORDER BY c.at DESC, c.event_id LIMIT ?")) {
            select.setString(1, environment);
            select.setString(2, Projection.EVERY_ENVIRONMENT);
            select.setObject(3, since.atOffset(ZoneOffset.UTC));
            select.setObject(4, at.atOffset(ZoneOffset.UTC));
            select.setInt(5, LIMIT + 1);
            List<Change> changes = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    changes.add(new Change(rows.getObject(1, UUID.class), DeliveryFacts.instant(rows, 2),
                            Change.Kind.valueOf(rows.getString(3)), rows.getString(4), rows.getString(5),
                            rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
                            (Double) rows.getObject(10), (Double) rows.getObject(11), rows.getBoolean(12),
                            rows.getString(13), rows.getString(14), rows.getString(15), rows.getString(16),
                            rows.getString(17)));
                }
            }
            boolean truncated = changes.size() > LIMIT;
            return new Changes(truncated ? changes.subList(0, LIMIT) : changes, truncated);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the change log of " + environment, e);
        }
    }
}
