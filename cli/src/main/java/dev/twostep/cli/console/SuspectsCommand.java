package dev.twostep.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

/** "What changed?" for a moment in an environment, ranked by the console. */
@Command(name = "suspects", mixinStandardHelpOptions = true,
        description = "List what changed in an environment before a moment, newest first: deployments, audience "
                + "changes and rollout steps, environment and API-key changes, each ranked by how recently and how "
                + "widely it changed what users run, with the reason for its score.")
public final class SuspectsCommand implements Callable<Integer> {

    @Option(names = "--env", paramLabel = "ENV", required = true, description = "The environment, for example prod.")
    String environment;

    @Option(names = "--at", paramLabel = "TIME", description = "The moment, RFC 3339 (default: now).")
    String at;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "30m",
            description = "How far back to look: 30m, 2h, 1d (default 30m).")
    String window;

    private final PlatformClient api;
    private final PrintStream out;

    public SuspectsCommand(PlatformClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    @Override
    public Integer call() {
        String path = "/environments/" + encode(environment) + "/suspects?window=" + encode(window)
                + (at == null ? "" : "&at=" + encode(at));
        JsonNode answer = api.require(api.getFromConsole(path), "reading the suspects in " + environment);
        out.printf("What changed in %s in the %s before %s (newest first; rank 1 is the most suspect)%n",
                answer.path("environment").asText(), window, answer.path("at").asText());
        out.printf("ranking: %s%n%n", answer.path("ranking").asText());
        if (answer.path("changes").isEmpty()) {
            out.println("nothing changed");
        }
        out.printf("%-5s %-9s %-20s %-60s %-18s %s%n", "RANK", "TIME", "KIND", "SUMMARY", "WHO", "CORRELATION");
        for (JsonNode change : answer.path("changes")) {
            String time = change.path("at").asText();
            out.printf("%-5d %-9s %-20s %-60s %-18s %s%n", change.path("rank").asInt(),
                    time.length() >= 19 ? time.substring(11, 19) : time, change.path("kind").asText(),
                    shorten(change.path("summary").asText(), 60), shorten(change.path("actor").asText("-"), 18),
                    change.path("correlationId").asText("-"));
            if (change.hasNonNull("reason")) {
                out.printf("%-36s why: %s%n", "", change.path("reason").asText());
            }
            out.printf("%-36s score %s%n", "", String.format(Locale.ROOT, "%.3f", change.path("score").asDouble())
                    + ": " + change.path("explanation").asText());
        }
        if (answer.path("truncated").asBoolean()) {
            out.println("(more changes than shown: narrow the window)");
        }
        return 0;
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
