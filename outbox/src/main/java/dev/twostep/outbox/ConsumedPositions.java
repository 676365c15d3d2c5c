package dev.twostep.outbox;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The next offset this service's consumers will apply, per partition, shared by every replica through the database. */
@ApplicationScoped
public class ConsumedPositions {

    private final AgroalDataSource dataSource;

    ConsumedPositions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Moves the positions forward, never back (two replicas may briefly both hold a partition in a rebalance). */
    @Transactional(Transactional.TxType.MANDATORY)
    void advance(Map<TopicPartition, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO consumed_position (topic, partition, next_offset) VALUES (?, ?, ?)
                     ON CONFLICT (topic, partition) DO UPDATE
                     SET next_offset = greatest(consumed_position.next_offset, excluded.next_offset)""")) {
            for (Map.Entry<TopicPartition, Long> position : nextOffsets.entrySet()) {
                upsert.setString(1, position.getKey().topic());
                upsert.setInt(2, position.getKey().partition());
                upsert.setLong(3, position.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record consumed positions", e);
        }
    }

    Map<TopicPartition, Long> of(Collection<String> topics) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT topic, partition, next_offset FROM consumed_position WHERE topic = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("text", topics.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    positions.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read consumed positions", e);
        }
        return positions;
    }
}
