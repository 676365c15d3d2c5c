package dev.twostep.cli.demo;

import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.live.LiveCommand;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Plays the whole story against the running platform and prints it as a timeline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Play Twostep's main job against the running platform: a build, its promotion to prod, "
                + "releases, two rollouts judged on simulated traffic (one rolls back by itself) and an environment "
                + "rollback. Takes about two minutes; can be run again.")
public final class DemoCommand implements Callable<Integer> {

    private final PlatformClient api;
    private final PrintStream out;

    public DemoCommand(PlatformClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    @Override
    public Integer call() {
        long started = System.nanoTime();
        Story.Result result = new Story(api, new Timeline(out, Clock.systemUTC()), Story.Pace.demo(), Clock.systemUTC())
                .play();
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
}
