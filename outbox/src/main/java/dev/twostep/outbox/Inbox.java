package dev.twostep.outbox;

import dev.twostep.events.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Remembers which consumed events were applied. The check runs in the effect's own transaction
 * ({@code MANDATORY}), so "applied" and "remembered" commit together or not at all.
 */
@ApplicationScoped
public class Inbox {

    private final AgroalDataSource dataSource;

    Inbox(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records the event as processed.
     *
     * @return true the first time; false for a redelivery, whose effect must then be skipped
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(EventEnvelope event) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO processed_event (event_id, type) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, event.id());
            insert.setString(2, event.type());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record processed event " + event.id(), e);
        }
    }
}
