package dev.twostep.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Waits until a service's outbox relay has published every committed event of its {@code event_store}. A check that
 * a request wrote nothing to a topic means something only after this: read at once, the end offsets cannot yet show
 * an event that the request did append, because the relay publishes it later.
 */
public final class RelayDrain {

    private RelayDrain() {
    }

    /**
     * Returns once {@code outbox_unpublished} is empty: the relay saves its cursor only after Kafka acknowledged the
     * events behind it, so then every event committed before the call is on its topic.
     */
    public static void awaitPublished(DataSource dataSource) {
        await().alias("the outbox relay has published every stored event").atMost(Duration.ofSeconds(30))
                .until(() -> unpublished(dataSource) == 0);
    }

    private static long unpublished(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM outbox_unpublished")) {
            count.next();
            return count.getLong(1);
        }
    }
}
