package dev.twostep.console.intake;

import dev.twostep.events.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes what one event tells the console into the read model: the timeline's row, then what the deploy side's
 * events ({@link DeployProjection}) or the release side's ({@link ReleaseProjection}) say about delivery facts, the
 * change log, provenance and what is known. Every write is an insert keyed by the event (ON CONFLICT DO NOTHING), so
 * applying an event twice, or events in any order across topics and replicas, leaves the same rows; nothing is ever
 * updated.
 *
 * <p>Event types the console does not use (metric samples, artefact revocations and rejections, segments, and any
 * type added to the contract later) are consumed and ignored. A type this build of the contract
 * does not know at all cannot be decoded: {@code EventIntake} sends it to the topic's DLQ with the reason and goes on
 * with the partition; a console built with the newer contract picks it up by a rebuild ({@code ReadModelRebuild}).
 */
@ApplicationScoped
public class Projection {

    /** The change log's environment for a change that concerns every environment. */
    public static final String EVERY_ENVIRONMENT = "*";

    private final AgroalDataSource dataSource;

    Projection(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(EventEnvelope event) {
        try (Connection connection = dataSource.getConnection()) {
            ReadModelRows rows = new ReadModelRows(connection, event);
            rows.timeline();
            // Each side writes only the events it knows, so the order of the two calls does not matter.
            new DeployProjection(rows).write(event.data());
            new ReleaseProjection(rows).write(event.data());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot project event " + event.id(), e);
        }
    }
}
