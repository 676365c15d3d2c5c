package dev.twostep.releasecontroller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.releasecontroller.service.ReleaseService;
import dev.twostep.testing.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.twostep.releasecontroller.TopicFixtures.PATIENCE;
import static dev.twostep.releasecontroller.TopicFixtures.changeTypes;
import static dev.twostep.releasecontroller.TopicFixtures.ofrep;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas can take a segment change and a definition that references the segment at the same time. Each test
 * keeps one writer's transaction open until the other has committed or waits for the environment's segment lock,
 * then commits the first: the flag must evaluate with the segment's new rule either way. Without the lock the
 * definition keeps the old rule (each transaction misses the other's uncommitted write).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class SegmentDefinitionRaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLE_COM = "{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}";
    private static final String PARTNER_IO = "{\"ends_with\": [{\"var\": \"email\"}, \"@partner.io\"]}";

    @Inject
    ReleaseService releases;
    @Inject
    AgroalDataSource database;

    @Test
    void aDefinitionCommittedAfterTheSegmentChangedIsRewrittenWithTheNewRule() {
        String feature = shopRunning("prod").feature();
        String staff = unique("staff");
        releases.defineSegment("prod", staff, tree(EXAMPLE_COM), "staff", "test");

        race(() -> releases.setDefinition(feature, "prod", tree(TypedFlagsTest.theme(staff)), "theme", "carol"),
                () -> releases.defineSegment("prod", staff, tree(PARTNER_IO), "partners too", "test"));

        assertThat(variantFor(feature, "lee@partner.io")).isEqualTo("neon");
        assertThat(variantFor(feature, "kim@example.com")).isEqualTo("classic");
        assertThat(changeTypes(feature)).endsWith("dev.twostep.feature.definitionset.v1",
                "dev.twostep.feature.definitionset.v1");
    }

    @Test
    void aDefinitionWrittenWhileTheSegmentChangesIsCompiledAgainstTheNewRule() {
        String feature = shopRunning("prod").feature();
        String staff = unique("staff");
        releases.defineSegment("prod", staff, tree(EXAMPLE_COM), "staff", "test");

        race(() -> releases.defineSegment("prod", staff, tree(PARTNER_IO), "partners too", "test"),
                () -> releases.setDefinition(feature, "prod", tree(TypedFlagsTest.theme(staff)), "theme", "carol"));

        assertThat(variantFor(feature, "lee@partner.io")).isEqualTo("neon");
        assertThat(variantFor(feature, "kim@example.com")).isEqualTo("classic");
    }

    /** Runs {@code first} and keeps its transaction open while {@code second} runs in another one. */
    private void race(Runnable first, Runnable second) {
        CountDownLatch firstApplied = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        try (ExecutorService replicas = Executors.newFixedThreadPool(2)) {
            Future<?> firstCommitted = replicas.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                first.run();
                firstApplied.countDown();
                try {
                    assertThat(commitFirst.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            await().atMost(PATIENCE).until(() -> firstApplied.getCount() == 0 || firstCommitted.isDone());

            Future<?> secondCommitted = replicas.submit(() -> QuarkusTransaction.requiringNew().run(second));
            await().atMost(PATIENCE).until(() -> secondCommitted.isDone() || waitsForTheSegmentLock());
            commitFirst.countDown();

            firstCommitted.get();
            secondCommitted.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("a replica's transaction failed", e);
        }
    }

    private boolean waitsForTheSegmentLock() throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet waiting = statement.executeQuery("""
                     SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                     AND wait_event_type = 'Lock' AND wait_event = 'advisory'""")) {
            waiting.next();
            return waiting.getLong(1) > 0;
        }
    }

    private static String variantFor(String feature, String email) {
        return ofrep("{\"context\": {\"targetingKey\": \"u1\", \"environment\": \"prod\", \"email\": \"" + email
                + "\", \"appVersion\": \"1.0.0\"}}").post("/ofrep/v1/evaluate/flags/{key}", feature).then()
                .statusCode(200).extract().path("variant");
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
