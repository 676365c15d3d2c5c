package dev.twostep.releasecontroller.apikey;

import dev.twostep.releasecontroller.apikey.ApiKeys.IssuedKey;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ApiKeysTest {

    @Inject
    ApiKeys keys;

    /**
     * The periodic reload reads the table and replaces the live keys. One that read the table just before an issue
     * committed used to write over it just after, and the new key was refused for up to the refresh interval. Here
     * reloads run back to back while keys are issued and revoked, to make that interleaving likely. A reload that
     * fails ends the test with its exception, and the test counts the reloads that ran, so that it cannot pass with
     * no reload running beside the issues.
     */
    @Test
    void onTheReplicaThatIssuesOrRevokesAKeyTheChangeCountsAtOnceWhateverTheReloadsDo() throws Exception {
        AtomicBoolean issuing = new AtomicBoolean(true);
        AtomicLong reloadsDone = new AtomicLong();
        ExecutorService reloader = Executors.newSingleThreadExecutor();
        Future<?> reloads = reloader.submit(() -> {
            while (issuing.get()) {
                keys.reload();
                reloadsDone.incrementAndGet();
            }
        });
        long reloadsBefore;
        long reloadsAfter;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> reloads.isDone() || reloadsDone.get() > 0);
            reloadsBefore = reloadsDone.get();
            for (int i = 0; i < 200 && !reloads.isDone(); i++) {
                IssuedKey issued = keys.issue("race-" + i, Set.of("prod"), "tester");
                assertThat(keys.scopeOf(issued.key())).as("key %d just after it was issued", i)
                        .contains(Set.of("prod"));

                keys.revoke(issued.id(), "tester");
                assertThat(keys.scopeOf(issued.key())).as("key %d just after it was revoked", i).isEmpty();
            }
            reloadsAfter = reloadsDone.get();
        } finally {
            issuing.set(false);
            reloader.shutdown();
        }
        reloads.get(30, TimeUnit.SECONDS); // throws what a reload threw
        assertThat(reloadsAfter - reloadsBefore).as("reloads that ran while keys were issued and revoked").isPositive();
    }
}
