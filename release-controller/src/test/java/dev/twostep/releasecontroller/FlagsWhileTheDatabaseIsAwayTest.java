package dev.twostep.releasecontroller;

import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.twostep.releasecontroller.TopicFixtures.apiKey;
import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** Flag evaluation is served from memory, so it must outlast the database, and so must the replica's readiness. */
@QuarkusTest
@TestProfile(FlagsWhileTheDatabaseIsAwayTest.DatabaseBehindAProxy.class)
class FlagsWhileTheDatabaseIsAwayTest {

    /** The real infrastructure, with the service reaching PostgreSQL through a proxy that the test can cut. */
    public static class ProxiedDatabase extends RealInfrastructure {

        private TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            URI direct = URI.create(config.get("quarkus.datasource.jdbc.url").substring("jdbc:".length()));
            proxy = TcpProxy.to(direct.getHost(), direct.getPort());
            config.put("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + direct.getPath());
            return config;
        }

        @Override
        public void inject(TestInjector injector) {
            super.inject(injector);
            injector.injectIntoFields(proxy, new TestInjector.MatchesType(TcpProxy.class));
        }

        @Override
        public void stop() {
            proxy.close();
            super.stop();
        }
    }

    public static class DatabaseBehindAProxy implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedDatabase.class));
        }
    }

    TcpProxy database;

    @Test
    void evaluatesFlagsAndStaysReadyWhileThePostgresIsAwayAndRefusesWritesWith503() {
        String feature = shopRunning("prod").feature();
        audience(feature, "prod", "{\"percentage\": 100, \"reason\": \"everyone\"}");
        String key = apiKey("prod");

        database.cut();
        try {
            json("{\"context\": {\"targetingKey\": \"bob\"}}").header("X-API-Key", key)
                    .post("/ofrep/v1/evaluate/flags/{key}", feature).then().statusCode(200)
                    .body("value", equalTo(true));
            given().get("/q/health/ready").then().statusCode(200);
            json("{\"percentage\": 0, \"reason\": \"off\"}")
                    .put("/features/{key}/environments/{env}/audience", feature, "prod").then().statusCode(503)
                    .contentType("application/problem+json");
        } finally {
            database.restore();
        }
    }
}
