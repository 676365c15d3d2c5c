package dev.twostep.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real parts: the shared in-JVM Kafka broker and a fresh
 * PostgreSQL database that is dropped when the test resource stops.
 */
public class RealInfrastructure implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create("twostep_test");
        return Map.of(
                "kafka.bootstrap.servers", TestBroker.bootstrapServers(),
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.user());
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }
}
