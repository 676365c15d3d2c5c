package dev.twostep.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Deletes what a table no longer needs to keep, claimed by one replica at a time, in chunks, and then gives the
 * space back.
 *
 * <p>Each chunk is its own short transaction, so a large first clean-up neither holds locks for long nor keeps the
 * server's oldest snapshot back. The claim is a transaction-scoped advisory lock per table taken in every chunk: two
 * replicas never delete the same rows at once, and a replica that dies mid-way simply leaves the rest to the next run.
 *
 * <p>After deleting, the table is vacuumed. Nothing on the hot path depends on it (lookups go by primary key and new
 * rows are appended), but PostgreSQL only reuses the space of deleted rows once a vacuum has recorded it, and servers
 * run with autovacuum off (as on the project's machines): without it the table's files would still grow forever.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final int CHUNK = 10_000;

    private final AgroalDataSource dataSource;

    Retention(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Deletes, chunk by chunk, the rows of {@code table} that {@code chunkDelete} selects for {@code cutoff}.
     *
     * @param chunkDelete a DELETE with exactly two parameters, the cutoff (a timestamp) and the chunk size, that
     *                    deletes at most that many rows, for example
     *                    {@code DELETE FROM t WHERE id IN (SELECT id FROM t WHERE at < ? LIMIT ?)}
     * @return the rows deleted, or empty when another replica holds the claim on this table
     */
    public OptionalLong purge(String table, String chunkDelete, Instant cutoff) {
        long deleted = 0;
        while (true) {
            Integer chunk = QuarkusTransaction.requiringNew().call(() -> deleteChunk(table, chunkDelete, cutoff));
            if (chunk == null) {
                return deleted == 0 ? OptionalLong.empty() : OptionalLong.of(deleted);
            }
            deleted += chunk;
            if (chunk < CHUNK) {
                break;
            }
        }
        if (deleted > 0) {
            vacuum(table);
            LOG.infof("retention removed %d rows from %s older than %s", deleted, table, cutoff);
        }
        return OptionalLong.of(deleted);
    }

    /** @return the rows deleted, or null when another replica holds the claim */
    private Integer deleteChunk(String table, String chunkDelete, Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement claim = connection.prepareStatement(
                    "SELECT pg_try_advisory_xact_lock(hashtext('twostep-retention:' || ?))")) {
                claim.setString(1, table);
                try (ResultSet result = claim.executeQuery()) {
                    if (!result.next() || !result.getBoolean(1)) {
                        return null;
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(chunkDelete)) {
                delete.setTimestamp(1, Timestamp.from(cutoff));
                delete.setInt(2, CHUNK);
                return delete.executeUpdate();
            }
        }
    }

    private void vacuum(String table) {
        // VACUUM cannot run inside a transaction: a connection of its own, outside any JTA transaction.
        try (Connection connection = dataSource.getConnection(); Statement vacuum = connection.createStatement()) {
            vacuum.execute("VACUUM " + table);
        } catch (SQLException e) {
            LOG.warnf("could not vacuum %s after retention (the rows are gone; only the space waits): %s",
                    table, e.getMessage());
        }
    }
}
