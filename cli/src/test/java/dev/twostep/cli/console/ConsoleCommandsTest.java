package dev.twostep.cli.console;

import com.sun.net.httpserver.HttpServer;
import dev.twostep.cli.TwostepCli;
import dev.twostep.cli.api.PlatformClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./twostep dora} and {@code ./twostep suspects}: what they refuse before contacting anything, what they say
 * when the console is down, and how they print an answer of the console's shape (served by a local HTTP server that
 * records the requests, so the query each command sends is checked too; the console's own answers are tested in the
 * console module).
 */
class ConsoleCommandsTest {

    private static final String REPORT = """
            {"application":"checkout","environment":"prod","from":"2026-11-20T10:00:00Z","to":"2026-11-20T12:00:00Z",
             "leadTimeStart":"build finish (events carry no commit time)",
             "deploys":{"frequency":{"count":3,"perDay":36.0,"byKind":{"deploy":2,"redeploy":1}},
               "leadTime":{"count":2,"medianSeconds":2400.0,"p90Seconds":3600.0,"maxSeconds":3600.0,"unfinished":0},
               "changeFailureRate":{"changes":4,"failures":2,"rate":0.5,"byCause":{"rolled back":1,"failed":1}},
               "timeToRestore":{"count":2,"medianSeconds":300.0,"p90Seconds":480.0,"maxSeconds":480.0,"unfinished":0}},
             "releases":{"frequency":{"count":2,"perDay":24.0,"byKind":{"audience":1,"rollout completed":1}},
               "leadTimeToFirstExposure":{"count":2,"medianSeconds":1680.0,"p90Seconds":1860.0,"maxSeconds":1860.0,
                 "unfinished":0},
               "leadTimeToEveryone":{"count":1,"medianSeconds":3000.0,"p90Seconds":3000.0,"maxSeconds":3000.0,
                 "unfinished":0},
               "changeFailureRate":{"changes":3,"failures":2,"rate":0.6666666666666666,
                 "byCause":{"rolled back by decision":1,"rolled back because its code left":1}},
               "timeToRestore":{"count":1,"medianSeconds":30.0,"p90Seconds":30.0,"maxSeconds":30.0,"unfinished":0}}}
            """;

    private static final String SUSPECTS = """
            {"environment":"prod","at":"2026-11-20T10:07:00Z","window":"PT30M",
             "ranking":"score = breadth × 0.5^(age / PT10M)","truncated":false,
             "changes":[{"rank":2,"score":0.233,"explanation":"version 1.5 runs for every user: breadth 0.25",
               "at":"2026-11-20T10:06:00Z","kind":"DEPLOYED","summary":"checkout 1.5 deployed (replaced 1.4)",
               "actor":"dana","correlationId":"corr-1"},
              {"rank":1,"score":0.283,"explanation":"npf 10% → 50%: breadth 0.40 × recency 0.71",
               "at":"2026-11-20T10:02:00Z","kind":"ROLLOUT_STEP","summary":"npf 10% -> 50%",
               "actor":"release-controller","reason":"rollout r1 advances to step 2 (50%): decision d1",
               "correlationId":"corr-2"}]}
            """;

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void aBadSinceOrAMissingEnvironmentIsRefusedBeforeAnythingIsContacted() {
        Run since = run("dora", "--since", "yesterday");
        Run noEnv = run("suspects");

        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err()).contains("--since must be an RFC 3339 time");
        assertThat(noEnv.exitCode()).isEqualTo(2);
        assertThat(noEnv.err()).contains("Missing required option: '--env=ENV'");
    }

    @Test
    void aConsoleThatIsDownIsNamedWithItsVariable() {
        Run run = runAgainst("http://127.0.0.1:9", "suspects", "--env", "prod");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("console is not reachable at http://127.0.0.1:9", "TWOSTEP_CONSOLE_URL");
    }

    @Test
    void doraAsksForTheWindowAndPrintsEachKeySplitIntoDeployAndRelease() throws Exception {
        List<String> asked = new ArrayList<>();
        HttpServer console = serve(asked, Map.of("/metrics/delivery", REPORT));
        try {
            Run run = runAgainst("http://127.0.0.1:" + console.getAddress().getPort(),
                    "dora", "--app", "checkout", "--env", "prod", "--since", "2h");

            assertThat(run.exitCode()).isZero();
            assertThat(asked).containsExactly("/metrics/delivery?application=checkout&environment=prod"
                    + "&from=2026-11-20T10:00:00Z&to=2026-11-20T12:00:00Z");
            assertThat(run.out()).contains(
                    "frequency             3 (36.00/day), deploy 2, redeploy 1",
                    "2 (24.00/day), audience 1, rollout completed 1",
                    "lead time             to deploy median 40m, p90 1h of 2",
                    "to first exposure median 28m, p90 31m of 2",
                    "to everyone median 50m, p90 50m of 1",
                    "change failure rate   50% (2 of 4), rolled back 1, failed 1",
                    "67% (2 of 3), rolled back by decision 1, rolled back because its code left 1",
                    "time to restore       median 5m, p90 8m of 2",
                    "median 30s, p90 30s of 1");
        } finally {
            console.stop(0);
        }
    }

    @Test
    void suspectsPrintsNewestFirstWithRankWhyAndScore() throws Exception {
        List<String> asked = new ArrayList<>();
        HttpServer console = serve(asked, Map.of("/environments/prod/suspects", SUSPECTS));
        try {
            Run run = runAgainst("http://127.0.0.1:" + console.getAddress().getPort(),
                    "suspects", "--env", "prod", "--at", "2026-11-20T10:07:00Z", "--window", "30m");

            assertThat(run.exitCode()).isZero();
            assertThat(asked).containsExactly("/environments/prod/suspects?window=30m&at=2026-11-20T10%3A07%3A00Z");
            String out = run.out();
            assertThat(out.indexOf("checkout 1.5 deployed")).isLessThan(out.indexOf("npf 10% -> 50%"));
            assertThat(out).contains("2     10:06:00  DEPLOYED", "1     10:02:00  ROLLOUT_STEP",
                    "why: rollout r1 advances to step 2 (50%): decision d1",
                    "score 0.283: npf 10% → 50%: breadth 0.40 × recency 0.71");
        } finally {
            console.stop(0);
        }
    }

    private static HttpServer serve(List<String> asked, Map<String, String> answers) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answers.forEach((path, body) -> server.createContext(path, exchange -> {
            asked.add(exchange.getRequestURI().toString());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }));
        server.start();
        return server;
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TwostepCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs one command against the console at {@code url}, at 2026-11-20T12:00:00Z. */
    private static Run runAgainst(String url, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream printOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream printErr = new PrintStream(err, true, StandardCharsets.UTF_8);
        PlatformClient api = new PlatformClient(Map.of(PlatformClient.CONSOLE_VARIABLE, url));
        Clock noon = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
        picocli.CommandLine cli = new picocli.CommandLine(new TwostepCli())
                .addSubcommand(new DoraCommand(api, printOut, noon))
                .addSubcommand(new SuspectsCommand(api, printOut));
        cli.setOut(new java.io.PrintWriter(printOut, true));
        cli.setErr(new java.io.PrintWriter(printErr, true));
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            printErr.println("twostep: " + exception.getMessage());
            return 2;
        });
        int code = cli.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
