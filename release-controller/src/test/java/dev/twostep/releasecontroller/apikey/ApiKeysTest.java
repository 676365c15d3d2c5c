package dev.twostep.releasecontroller.apikey;

import dev.twostep.releasecontroller.apikey.ApiKeys.IssuedKey;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ApiKeysTest {

    @Inject
    ApiKeys keys;

    /**
     * The periodic reload reads the table and replaces the live keys. One that read the table just before an issue
     * committed used to write over it just after, and the new key was refused for up to the refresh interval. Here
     * reloads run back to back while keys are issued and revoked, to make that interleaving likely.
     */
    @Test
    void onTheReplicaThatIssuesOrRevokesAKeyTheChangeCountsAtOnceWhateverTheReloadsDo() throws InterruptedException {
        AtomicBoolean issuing = new AtomicBoolean(true);
        Thread reloads = Thread.ofPlatform().name("reloads").start(() -> {
            while (issuing.get()) {
                keys.reload();
            }
        });
        try {
            for (int i = 0; i < 200; i++) {
                IssuedKey issued = keys.issue("race-" + i, Set.of("prod"), "tester");
                assertThat(keys.scopeOf(issued.key())).as("key %d just after it was issued", i)
                        .contains(Set.of("prod"));

                keys.revoke(issued.id(), "tester");
                assertThat(keys.scopeOf(issued.key())).as("key %d just after it was revoked", i).isEmpty();
            }
        } finally {
            issuing.set(false);
            reloads.join();
        }
    }
}
