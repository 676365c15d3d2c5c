package dev.twostep.cli.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** What runs in an environment and who sees which feature, as the release-controller's live view says. */
@Command(name = "live", mixinStandardHelpOptions = true,
        description = "Show what is live in an environment: each application's version, digest, commit, build "
                + "and since when, and each feature's audience and rollout step.")
public final class LiveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ENV", description = "The environment, for example prod.")
    String environment;

    @Option(names = "--user", paramLabel = "TARGETING_KEY",
            description = "Answer for one user: which features are on for them (for a flag definition, the variant and "
                    + "why), and which commit serves them.")
    String user;

    private final PlatformClient api;
    private final PrintStream out;

    public LiveCommand(PlatformClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    @Override
    public Integer call() {
        show(environment, user);
        return 0;
    }

    /** Prints what is live in {@code environment}, for {@code user} when not null. */
    public void show(String environment, String user) {
        String path = "/environments/" + URLEncoder.encode(environment, StandardCharsets.UTF_8) + "/live"
                + (user == null ? "" : "?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8));
        JsonNode live = api.require(api.get(Service.RELEASE, path), "reading what is live in " + environment);
        print(live, user);
    }

    private void print(JsonNode live, String user) {
        out.println("Live in " + live.path("environment").asText()
                + (user == null ? "" : " for user " + user));
        out.println();
        out.printf("%-22s %-22s %-21s %-9s %-32s %s%n", "APPLICATION", "VERSION", "DIGEST", "COMMIT", "BUILD", "SINCE");
        for (JsonNode app : live.path("applications")) {
            out.printf("%-22s %-22s %-21s %-9s %-32s %s%n", app.path("application").asText(),
                    app.path("version").asText(), shorten(app.path("digest").asText(), 21),
                    shortCommit(app.path("commit").asText()), shorten(app.path("buildId").asText(), 32),
                    app.path("since").asText());
        }
        out.println();
        out.printf("%-26s %-18s %-30s %s%n", "FEATURE", "APPLICATION", "AUDIENCE", user == null ? "ROLLOUT" : "FOR " + user);
        for (JsonNode feature : live.path("features")) {
            String last = user == null ? feature.path("rollout").isObject()
                    ? "step " + feature.path("rollout").path("step").asInt() + " of " + feature.path("rollout").path("steps").asInt()
                    + " (" + feature.path("rollout").path("rolloutId").asText() + ")" : "-"
                    : forUser(feature) + ", served by commit " + shortCommit(feature.path("servedByCommit").asText("-"));
            out.printf("%-26s %-18s %-30s %s%n", feature.path("featureKey").asText(),
                    feature.path("application").asText(), feature.path("audienceText").asText(), last);
        }
    }

    /** A flag definition's variant and why ({@code dark (SPLIT)}); a plain switch's on or off. */
    private static String forUser(JsonNode feature) {
        if (feature.hasNonNull("variantForUser") && feature.path("audienceText").asText().startsWith("definition")) {
            return feature.path("variantForUser").asText() + " (" + feature.path("reasonForUser").asText() + ")";
        }
        return feature.path("onForUser").asBoolean() ? "on" : "off";
    }

    private static String shortCommit(String commit) {
        return commit.substring(0, Math.min(7, commit.length()));
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }
}
