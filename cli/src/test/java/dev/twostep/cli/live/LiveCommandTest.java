package dev.twostep.cli.live;

import com.sun.net.httpserver.HttpServer;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.PlatformError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code twostep live ENV [--user KEY]}: the question it asks the release-controller and the table it prints from the
 * answer. The answer is a recorded live view served over real HTTP; what the release-controller computes is its own
 * tests' business.
 */
class LiveCommandTest {

    private static final String LIVE = """
            {"environment":"prod",
             "applications":[{"application":"checkout","version":"1.4.0-rmwrdmzzm",
               "digest":"sha256:e49d950e5a0f00d","commit":"daaf622c0ffee","buildId":"gha-mwrdmzzm-1.4.0-rmwrdmzzm",
               "since":"2026-11-22T05:09:04.158044Z"}],
             "features":[{"featureKey":"new-payment-form","application":"checkout","audienceText":"10% + 2 users",
               "rollout":{"rolloutId":"ro-1","step":1,"steps":3},"onForUser":true,"servedByCommit":"daaf622c0ffee"},
              {"featureKey":"one-click-reorder","application":"checkout","audienceText":"nobody","onForUser":false},
              {"featureKey":"theme","application":"checkout","audienceText":"definition: 3 string variants, default classic",
               "onForUser":true,"variantForUser":"dark","reasonForUser":"SPLIT","servedByCommit":"daaf622c0ffee"}]}""";

    private HttpServer releaseController;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void serveTheLiveView() throws IOException {
        releaseController = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        releaseController.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            byte[] body = LIVE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        releaseController.start();
    }

    @AfterEach
    void stop() {
        releaseController.stop(0);
    }

    @Test
    void printsEachApplicationAndEachFeatureWithItsRolloutStep() {
        command(releaseControllerUrl()).show("prod", null);

        assertThat(asked).containsExactly("/environments/prod/live");
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "Live in prod",
                "",
                String.format("%-22s %-22s %-21s %-9s %-32s %s", "APPLICATION", "VERSION", "DIGEST", "COMMIT", "BUILD",
                        "SINCE"),
                String.format("%-22s %-22s %-21s %-9s %-32s %s", "checkout", "1.4.0-rmwrdmzzm", "sha256:e49d950e5a0...",
                        "daaf622", "gha-mwrdmzzm-1.4.0-rmwrdmzzm", "2026-11-22T05:09:04.158044Z"),
                "",
                String.format("%-26s %-18s %-30s %s", "FEATURE", "APPLICATION", "AUDIENCE", "ROLLOUT"),
                String.format("%-26s %-18s %-30s %s", "new-payment-form", "checkout", "10% + 2 users",
                        "step 1 of 3 (ro-1)"),
                String.format("%-26s %-18s %-30s %s", "one-click-reorder", "checkout", "nobody", "-"),
                String.format("%-26s %-18s %-30s %s", "theme", "checkout",
                        "definition: 3 string variants, default classic", "-"));
    }

    @Test
    void forOneUserItAsksWithTheKeyEncodedAndSaysWhatThatUserSees() {
        LiveCommand live = command(releaseControllerUrl());
        new CommandLine(live).parseArgs("prod", "--user", "a&b c");

        live.call();

        assertThat(asked).containsExactly("/environments/prod/live?user=a%26b+c");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Live in prod for user a&b c",
                "FOR a&b c", "on, served by commit daaf622", "off, served by commit -",
                "dark (SPLIT), served by commit daaf622");
    }

    @Test
    void anUnreachableReleaseControllerIsAnErrorThatSaysWhatToDo() {
        String nobodyListens = "http://127.0.0.1:" + releaseController.getAddress().getPort();
        releaseController.stop(0);

        assertThatThrownBy(() -> command(nobodyListens).show("prod", null)).isInstanceOf(PlatformError.class)
                .hasMessage("release-controller is not reachable at " + nobodyListens
                        + ": start the platform with ./twostep up (or set TWOSTEP_RELEASE_CONTROLLER_URL)");
    }

    private String releaseControllerUrl() {
        return "http://127.0.0.1:" + releaseController.getAddress().getPort();
    }

    private LiveCommand command(String url) {
        return new LiveCommand(new PlatformClient(Map.of("TWOSTEP_RELEASE_CONTROLLER_URL", url)),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
}
