package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.MetricSource;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.TwostepEvent;
import dev.twostep.rolloutanalyzer.prometheus.GuardPolls.Polled;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusGuardSource.Look;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code guard_poll} on a server with autovacuum off (V17): a look rewrites its guard's row in place, a HOT update
 * that page pruning cleans up without vacuum; an ended rollout takes its rows along; and the scheduled vacuum lets new
 * rollouts reuse the space of ended ones. The poller and the vacuum job are off in this profile, so the test alone
 * writes the table: it claims and looks as the poller does, with as many workers.
 */
@QuarkusTest
@TestProfile(GuardPollChurnTest.PollerOff.class)
@WithTestResource(RealInfrastructure.class)
class GuardPollChurnTest {

    public static class PollerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("twostep.analyzer.prometheus.claim-every", "off",
                    "twostep.analyzer.prometheus.vacuum-every", "off");
        }
    }

    private static final int ROLLOUTS = 20;
    private static final List<String> GUARDS = List.of("errors", "slow");
    private static final int ROWS = ROLLOUTS * GUARDS.size();
    /** Each round claims every guard and writes a look for each: 40 looks, 80 row updates; 100 rounds, 8,000. */
    private static final int ROUNDS = 100;
    private static final int GENERATIONS = 6;
    private static final Duration POLL_EVERY = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofMinutes(1);
    /** Four queries of the size a real guard's are, so that a row is as large as in production (about 700 bytes). */
    private static final List<String> QUERIES = IntStream.range(0, 4).mapToObj(i ->
            "sum(increase(http_server_requests_seconds_count{app=\"checkout\",feature=\"checkout-0000000" + i
                    + "\",variant=\"on\"}[120s]))").toList();

    private final Instant stepStartedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** As many as the poller's. */
    private final ExecutorService pollerWorkers = Executors.newFixedThreadPool(8);
    /**
     * Looks one at a time: when eight writers extend the table at once, PostgreSQL adds up to twenty pages per waiter
     * to it, so the size after concurrent looks says more about that contention than about reuse.
     */
    private final ExecutorService oneWorker = Executors.newSingleThreadExecutor();
    private final List<String> registered = new ArrayList<>();
    private long sequence;

    @Inject
    GuardPolls polls;
    @Inject
    GuardPollVacuum vacuum;
    @Inject
    AgroalDataSource dataSource;

    /** Each test claims every due row, so it leaves none behind for the other. */
    @AfterEach
    void forgetTheRolloutsAndStopTheWorkers() {
        registered.forEach(polls::forget);
        pollerWorkers.shutdownNow();
        oneWorker.shutdownNow();
    }

    /**
     * How much the table grows meanwhile is not asserted: pruning, like vacuum, frees only what no open transaction
     * may still see, so other work on the server (a build's tests) can hold it back for a while.
     */
    @Test
    void eachLookIsAHotUpdateWhoseOldVersionPruningRemovesSoVacuumHasNothingToDo() throws Exception {
        register(ROLLOUTS);
        Instant now = look(stepStartedAt, 5, pollerWorkers); // every row at its full size
        resetCounters();

        look(now, ROUNDS, pollerWorkers);

        // With next_poll_at indexed (V14) none of these updates is HOT and each leaves a dead row for VACUUM: run so,
        // this test saw 0 HOT of 8,117 updates and 8,117 dead rows (README). With V17 nearly all are HOT; how many old
        // versions wait for the next prune of their page at the moment of counting varies from run to run (up to 835
        // of 8,000 seen), so the bounds leave room for that and still fail far away from the V14 figures.
        long updates = 2L * ROUNDS * ROWS;
        Counters after = await().atMost(Duration.ofSeconds(30)).until(this::counters, all -> all.updates() >= updates);
        assertThat(after.hotUpdates()).as("HOT updates of %s", after).isGreaterThanOrEqualTo(updates * 3 / 4);
        assertThat(after.deadRows()).as("dead rows of %s", after).isLessThan(updates / 4);
    }

    /**
     * Rollouts start and end again and again, the scheduled vacuum between: the table stays the size one generation of
     * rollouts needs. Without the vacuum PostgreSQL would not know that the ended rows' space is free, and every
     * generation would extend the table by its own size: run so, six generations grew it from 48 KiB to 216 KiB, where
     * with the vacuum it stayed at 48 KiB.
     */
    @Test
    void anEndedRolloutTakesItsRowsAlongAndAfterTheVacuumNewRolloutsReuseTheirSpace() throws Exception {
        vacuumUntilNoDeadRows(); // what other tests left behind
        List<String> ended = new ArrayList<>();
        for (int i = 0; i < ROLLOUTS; i++) {
            String rolloutId = "ended-" + UUID.randomUUID();
            release(new RolloutStarted(rolloutId, "feature-" + rolloutId, "prod", plan("http://127.0.0.1:9/")));
            ended.add(rolloutId);
            registered.add(rolloutId);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rowsOf(ended) == ROWS);
        look(Instant.now(), 1, oneWorker); // due since their RolloutStarted's time
        long firstGeneration = bytes();

        ended.forEach(rolloutId -> release(new RolloutCompleted(rolloutId, "feature-" + rolloutId, "prod")));
        await().atMost(Duration.ofSeconds(30)).until(() -> rowsOf(ended) == 0);

        for (int generation = 2; generation <= GENERATIONS; generation++) {
            vacuumUntilNoDeadRows();
            List<String> started = register(ROLLOUTS);
            look(Instant.now(), 1, oneWorker);
            started.forEach(polls::forget);
        }

        assertThat(bytes()).isLessThanOrEqualTo(firstGeneration);
    }

    /** Vacuums as the schedule does, until no transaction open elsewhere on the server still sees the dead rows. */
    private void vacuumUntilNoDeadRows() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            vacuum.vacuum();
            return counters().deadRows() == 0;
        });
    }

    private static Plan plan(String url) {
        return new Plan(List.of(20.0, 100.0), 500, Duration.ZERO, Duration.ofMinutes(10),
                new Guard("errorRate", 1.0, 0.95, "errors", null, source(url)),
                List.of(new Guard("errorRate", 1.0, 0.95, "errors", null, source(url)),
                        new Guard("latency", 1.0, 0.95, "slow", null, source(url))));
    }

    private static MetricSource source(String url) {
        return new MetricSource("prometheus", url, "checkout", QUERIES.get(0), QUERIES.get(1), null);
    }

    /** {@code count} rollouts' guards, due at the step's start, as a RolloutStarted registers them. */
    private List<String> register(int count) {
        List<String> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String rolloutId = "rollout-" + UUID.randomUUID();
            GUARDS.forEach(guard -> polls.register(rolloutId, guard, stepStartedAt));
            started.add(rolloutId);
        }
        registered.addAll(started);
        return started;
    }

    /**
     * {@code rounds} times, ten seconds apart from {@code from}: claims every due guard as the poller does and writes
     * a look for each from {@code workers}.
     *
     * @return the time of the last round
     */
    private Instant look(Instant from, int rounds, ExecutorService workers) throws InterruptedException {
        Instant now = from;
        for (int round = 0; round < rounds; round++) {
            now = now.plus(POLL_EVERY);
            Instant readAt = now;
            List<Polled> claimed = polls.claimDue(readAt, readAt.plus(LEASE), 64);
            assertThat(claimed).hasSize(ROWS);
            long requests = 1_000L * (round + 1);
            List<Callable<Void>> looks = claimed.stream().<Callable<Void>>map(polled -> () -> {
                polls.recordLook(polled.rolloutId(), polled.guard(), 1, stepStartedAt, readAt,
                        new Look(new Counts(requests, requests / 100), new Counts(requests / 4, requests / 400),
                                QUERIES, null, false), 0, readAt.plus(POLL_EVERY));
                return null;
            }).toList();
            for (var done : workers.invokeAll(looks)) {
                assertThat(done).succeedsWithin(Duration.ZERO);
            }
        }
        return now;
    }

    private void release(TwostepEvent event) {
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/release-controller",
                event.aggregateId(), ++sequence, Instant.now(), UUID.randomUUID().toString(), null, "release-manager",
                null, event)));
    }

    /**
     * The table's updates and dead rows since {@link #resetCounters} or the last vacuum, as each session reports them
     * when it idles.
     */
    private record Counters(long updates, long hotUpdates, long deadRows) {
    }

    private Counters counters() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("SELECT n_tup_upd, n_tup_hot_upd, n_dead_tup FROM pg_stat_user_tables"
                     + " WHERE relname = 'guard_poll'")) {
            row.next();
            return new Counters(row.getLong(1), row.getLong(2), row.getLong(3));
        }
    }

    private void resetCounters() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement reset = connection.createStatement()) {
            reset.execute("SELECT pg_stat_reset_single_table_counters('guard_poll'::regclass)");
        }
    }

    private long bytes() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("SELECT pg_relation_size('guard_poll')")) {
            row.next();
            return row.getLong(1);
        }
    }

    private long rowsOf(List<String> rollouts) throws SQLException {
        try (Connection connection = dataSource.getConnection(); var query = connection.prepareStatement(
                "SELECT count(*) FROM guard_poll WHERE rollout_id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", rollouts.toArray()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
