package dev.twostep.cli.demo;

import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.live.LiveCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Plays the whole story against the running platform and prints it as a timeline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Play Twostep's main job against the running platform: a build, its promotion to prod, "
                + "releases, two rollouts judged on simulated traffic (one rolls back by itself) and an environment "
                + "rollback. Takes about two minutes; can be run again. With a Prometheus (./twostep up "
                + "--with-prometheus), one rollout is judged from the simulated application's scraped request metrics.")
public final class DemoCommand implements Callable<Integer> {

    private final PlatformClient api;
    private final PrintStream out;

    @Option(names = "--prometheus", paramLabel = "URL", defaultValue = "${env:TWOSTEP_PROMETHEUS_URL}",
            description = "The Prometheus that scrapes the simulated application and that the rollout-analyzer reads "
                    + "(set by ./twostep up --with-prometheus); absent: every guard uses pushed samples.")
    URI prometheus;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:TWOSTEP_DEMO_METRICS_PORT:-9464}",
            description = "Where the simulated application serves /metrics for that Prometheus (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    public DemoCommand(PlatformClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    @Override
    public Integer call() {
        long started = System.nanoTime();
        Story.Result result = new Story(api, new Timeline(out, Clock.systemUTC()), Story.Pace.demo(), Clock.systemUTC(),
                prometheusDemo()).play();
        out.println();
        new LiveCommand(api, out).show("staging", null);
        out.println();
        new LiveCommand(api, out).show("prod", "alice");
        out.println();
        out.printf("Done in %d s. See it again with: ./twostep log --app %s   and   ./twostep live prod%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), Story.APPLICATION);
        out.println("(this run's versions: " + result.previousVersion() + " and " + result.newVersion() + ")");
        return 0;
    }

    private Optional<Story.PrometheusDemo> prometheusDemo() {
        if (prometheus == null) {
            return Optional.empty();
        }
        if (!PrometheusQueries.ready(prometheus)) {
            out.println("Prometheus at " + prometheus + " is not ready: every rollout is judged on pushed samples.");
            return Optional.empty();
        }
        return Optional.of(new Story.PrometheusDemo(prometheus, metricsPort));
    }
}
