package dev.twostep.console.web;

import dev.twostep.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The console as {@code ./twostep up} runs it: the local sign-in on, over a tokens file of local personas signed by the
 * test issuer, and the services it calls at the {@link StandInServices}.
 */
public class BrowserProfile implements QuarkusTestProfile {

    private static StandInServices services;

    private static synchronized StandInServices services() {
        if (services == null) {
            try {
                services = new StandInServices(StoryNames.ofThisRun());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return services;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        StandInServices services = services();
        return Map.of(
                "twostep.console.local-sign-in", "true",
                "twostep.tokens", tokens().toString(),
                "twostep.deploy-orchestrator.url", services.url(),
                "twostep.release-controller.url", services.url(),
                "twostep.rollout-analyzer.url", services.url());
    }

    /** The local personas the browser signs in as, in the format {@code ./twostep tokens} writes. */
    private static Path tokens() {
        Properties tokens = new Properties();
        tokens.setProperty("alice", TestTokens.of("alice", "approver"));
        tokens.setProperty("bob", TestTokens.of("bob", "deployer", "approver"));
        tokens.setProperty("sam", TestTokens.of("sam", "sre"));
        tokens.setProperty("viewer", TestTokens.of("viewer", "viewer"));
        try {
            Path file = Files.createDirectories(Path.of("target", "browser")).resolve("tokens.properties");
            try (Writer writer = Files.newBufferedWriter(file)) {
                tokens.store(writer, "local personas for the browser test");
            }
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
