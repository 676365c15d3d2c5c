package dev.twostep.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.log.SinceParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The four keys from the console, each split into its deploy part and its release part. */
@Command(name = "dora", mixinStandardHelpOptions = true,
        description = "Show delivery metrics (the DORA four keys) per application in an environment, each split into "
                + "deploy and release: frequency, lead time, change failure rate, time to restore.")
public final class DoraCommand implements Callable<Integer> {

    @Option(names = "--app", paramLabel = "APPLICATION",
            description = "One application; default: every application deployed in the environment.")
    String application;

    @Option(names = "--env", paramLabel = "ENV", defaultValue = "prod", description = "The environment (default prod).")
    String environment;

    @Option(names = "--since", paramLabel = "WHEN", defaultValue = "30d",
            description = "Window start: an RFC 3339 time or a duration back from now (90s, 10m, 2h, 30d; default 30d).")
    String since;

    @Option(names = "--expand", description = "List what each figure was computed from, with the event ids.")
    boolean expand;

    private final PlatformClient api;
    private final PrintStream out;
    private final Clock clock;

    public DoraCommand(PlatformClient api, PrintStream out, Clock clock) {
        this.api = api;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        Instant to = clock.instant();
        Instant from = SinceParser.parse(since, to);
        List<String> applications = new ArrayList<>();
        if (application != null) {
            applications.add(application);
        } else {
            JsonNode environments = api.require(api.getFromConsole("/environments"), "reading the environments");
            if (!environments.has(environment)) {
                throw new IllegalArgumentException("the console knows no environment " + environment);
            }
            environments.get(environment).forEach(app -> applications.add(app.asText()));
        }
        for (String app : applications) {
            String path = "/metrics/delivery?application=" + encode(app) + "&environment=" + encode(environment)
                    + "&from=" + from + "&to=" + to + (expand ? "&expand=true" : "");
            print(api.require(api.getFromConsole(path), "reading the delivery metrics of " + app));
        }
        return 0;
    }

    private void print(JsonNode report) {
        JsonNode deploys = report.path("deploys");
        JsonNode releases = report.path("releases");
        out.printf("Delivery of %s in %s, %s to %s (lead times start at the %s)%n%n", report.path("application").asText(),
                report.path("environment").asText(), report.path("from").asText(), report.path("to").asText(),
                report.path("leadTimeStart").asText());
        out.printf("%-21s %-44s %s%n", "KEY", "DEPLOY", "RELEASE");
        out.printf("%-21s %-44s %s%n", "frequency", rate(deploys.path("frequency")), rate(releases.path("frequency")));
        out.printf("%-21s %-44s %s%n", "lead time", "to deploy " + durations(deploys.path("leadTime")),
                "to first exposure " + durations(releases.path("leadTimeToFirstExposure")));
        out.printf("%-21s %-44s %s%n", "", "", "to everyone " + durations(releases.path("leadTimeToEveryone")));
        out.printf("%-21s %-44s %s%n", "change failure rate", failures(deploys.path("changeFailureRate")),
                failures(releases.path("changeFailureRate")));
        out.printf("%-21s %-44s %s%n", "time to restore", durations(deploys.path("timeToRestore")),
                durations(releases.path("timeToRestore")));
        if (expand) {
            for (String part : List.of("deploys", "releases")) {
                report.path(part).fields().forEachRemaining(figure -> {
                    if (figure.getValue().path("items").isEmpty()) {
                        return;
                    }
                    out.printf("%n%s %s%n", part, figure.getKey());
                    for (JsonNode item : figure.getValue().path("items")) {
                        out.printf("  %-28s %-40s %-10s %s%n", item.path("subject").asText(),
                                item.path("kind").asText(),
                                item.hasNonNull("seconds") ? words(item.path("seconds").asDouble()) : "",
                                join(item.path("events")));
                    }
                });
            }
        }
        out.println();
    }

    private static String rate(JsonNode rate) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d (%.2f/day)", rate.path("count").asLong(),
                rate.path("perDay").asDouble()));
        rate.path("byKind").fields().forEachRemaining(kind ->
                text.append(", ").append(kind.getKey()).append(' ').append(kind.getValue().asLong()));
        return text.toString();
    }

    private static String durations(JsonNode durations) {
        if (durations.path("count").asLong() == 0) {
            return "-" + unfinished(durations);
        }
        return "median " + words(durations.path("medianSeconds").asDouble()) + ", p90 "
                + words(durations.path("p90Seconds").asDouble()) + " of " + durations.path("count").asLong()
                + unfinished(durations);
    }

    private static String unfinished(JsonNode durations) {
        long unfinished = durations.path("unfinished").asLong();
        return unfinished == 0 ? "" : " (" + unfinished + " unfinished)";
    }

    private static String failures(JsonNode rate) {
        if (!rate.hasNonNull("rate")) {
            return "- (nothing changed)";
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%.0f%% (%d of %d)",
                rate.path("rate").asDouble() * 100, rate.path("failures").asLong(), rate.path("changes").asLong()));
        rate.path("byCause").fields().forEachRemaining(cause ->
                text.append(", ").append(cause.getKey()).append(' ').append(cause.getValue().asLong()));
        return text.toString();
    }

    static String words(double seconds) {
        long whole = Math.round(seconds);
        if (whole < 60) {
            return whole + "s";
        }
        if (whole < 3600) {
            return (whole / 60) + "m" + (whole % 60 == 0 ? "" : " " + (whole % 60) + "s");
        }
        if (whole < 86_400) {
            return (whole / 3600) + "h" + ((whole % 3600) / 60 == 0 ? "" : " " + (whole % 3600) / 60 + "m");
        }
        return (whole / 86_400) + "d" + ((whole % 86_400) / 3600 == 0 ? "" : " " + (whole % 86_400) / 3600 + "h");
    }

    private static String join(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(id -> ids.add(id.asText()));
        return String.join(" ", ids);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
