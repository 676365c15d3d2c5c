package dev.twostep.cli;

import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.PlatformError;
import dev.twostep.cli.auth.TokensCommand;
import dev.twostep.cli.console.DoraCommand;
import dev.twostep.cli.console.SuspectsCommand;
import dev.twostep.cli.demo.DemoCommand;
import dev.twostep.cli.live.LiveCommand;
import dev.twostep.cli.log.LogCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintStream;

/**
 * The {@code twostep} command line. {@code ./twostep up|down|status} start and stop the local platform (a shell
 * script, because it must work before anything is built); everything else is this program.
 */
@Command(name = "twostep", mixinStandardHelpOptions = true, version = "twostep 0.1.0",
        description = "Deploy is not release: play the demo, read the event log, see what is live.")
public final class TwostepCli {

    public static void main(String[] args) {
        // Kafka's client logs through SLF4J; a person at a terminal needs its errors only.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        System.exit(run(System.out, System.err, args));
    }

    public static int run(PrintStream out, PrintStream err, String... args) {
        PlatformClient api = new PlatformClient(System.getenv());
        CommandLine cli = new CommandLine(new TwostepCli())
                .addSubcommand(new DemoCommand(api, out))
                .addSubcommand(new LogCommand(out))
                .addSubcommand(new LiveCommand(api, out))
                .addSubcommand(new TokensCommand(out))
                .addSubcommand(new DoraCommand(api, out, java.time.Clock.systemUTC()))
                .addSubcommand(new SuspectsCommand(api, out));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof PlatformError || exception instanceof IllegalArgumentException) {
                err.println("twostep: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return cli.execute(args);
    }
}
