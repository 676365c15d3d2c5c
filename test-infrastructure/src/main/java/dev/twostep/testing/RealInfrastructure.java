package dev.twostep.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real parts: the shared in-JVM Kafka broker, a fresh PostgreSQL database that is
 * dropped when the test resource stops, and the test token issuer's key. Its requests act as
 * {@link TestTokens#OPERATOR}, who holds every role; tests about access say who acts instead.
 */
public class RealInfrastructure implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create("twostep_test");
        return Map.of(
                "kafka.bootstrap.servers", TestBroker.bootstrapServers(),
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.user(),
                "mp.jwt.verify.publickey.location", TestTokens.publicKeyLocation());
    }

    @Override
    public void inject(TestInjector injector) {
        TestTokens.actAsOperator();
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }
}
