package dev.twostep.cli.auth;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Makes the local signing key and a token per local persona; {@code ./twostep up} runs it before the services. */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Make the local signing key (once) and write a bearer token for each local persona "
                + "(github-actions: ci, dana: publisher, bob: deployer and approver, alice: approver, carol: release-manager, sam: sre, "
                + "argo-cd: deployer, traffic-simulator: telemetry, viewer: viewer). For a local platform only: "
                + "in production the services trust your OIDC provider instead.")
public final class TokensCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".twostep/auth",
            description = "Where the key and tokens.properties go (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--valid", paramLabel = "DURATION", defaultValue = "P7D",
            description = "How long the tokens stay valid, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration validity;

    private final PrintStream out;

    public TokensCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Path file = Credentials.issueLocal(directory, validity);
        out.println("tokens for " + Credentials.LOCAL_PERSONAS.size() + " local personas in " + file
                + ", valid for " + validity);
        return 0;
    }
}
