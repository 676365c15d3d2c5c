package dev.twostep.outbox;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Readiness details for operators: how many committed events the relay has still to publish, and whether the
 * server vacuums by itself. Neither makes the service unready: a backlog drains by itself, and nothing on the hot
 * path needs vacuum; the details say why a server without autovacuum still grows in its other tables.
 */
@Readiness
@ApplicationScoped
class OutboxReadiness implements HealthCheck {

    private final AgroalDataSource dataSource;

    OutboxReadiness(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT coalesce((SELECT max(position) FROM event_store), 0) - published_through
                            + coalesce((SELECT sum(last - first + 1)
                                        FROM unnest(gap_from, gap_to) AS gap (first, last)), 0),
                            current_setting('autovacuum')
                     FROM outbox_cursor""")) {
            row.next();
            return HealthCheckResponse.named("outbox").up()
                    .withData("unpublishedPositions", row.getLong(1))
                    .withData("autovacuum", row.getString(2).equals("on") ? "on"
                            : "off: the outbox and inbox do not need it (retention vacuums what it deletes)")
                    .build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("outbox").down().withData("error", e.getMessage()).build();
        }
    }
}
