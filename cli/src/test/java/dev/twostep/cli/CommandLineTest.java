package dev.twostep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.cli.auth.Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./twostep} as a person types it: what each command accepts, what it refuses and with which exit code, all
 * without a platform (every refusal below happens before anything is contacted).
 */
class CommandLineTest {

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    @Test
    void listsItsCommandsAndVersion() {
        Run help = run("--help");
        Run version = run("--version");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("demo", "log", "live", "tokens");
        assertThat(version.out().strip()).isEqualTo("twostep 0.1.0");
    }

    @Test
    void aBadSinceIsRefusedWithExitCodeTwoAndTheFormsItMayTake() {
        Run run = run("log", "--since", "yesterday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("twostep: --since must be an RFC 3339 time (2026-11-22T10:00:00Z) or a"
                + " duration back from now (90s, 10m, 2h, 1d), not yesterday");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownOptionOrAMissingEnvironmentIsAUsageError() {
        Run unknown = run("log", "--colour");
        Run noEnvironment = run("live");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--colour'", "Possible solutions: --correlation");
        assertThat(noEnvironment.exitCode()).isEqualTo(2);
        assertThat(noEnvironment.err()).contains("Missing required parameter: 'ENV'");
    }

    @Test
    void tokensRefuseADurationThatIsNotIso8601(@TempDir Path directory) {
        Run run = run("tokens", "--dir", directory.toString(), "--valid", "7 days");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--valid'");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void tokensWritesOneTokenPerPersonaReadableByTheOwnerOnly(@TempDir Path directory) throws Exception {
        Run run = run("tokens", "--dir", directory.resolve("auth").toString(), "--valid", "PT1H");

        Path file = directory.resolve("auth/tokens.properties");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("tokens for 9 local personas in " + file + ", valid for PT1H");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Credentials credentials = Credentials.from(Map.of(Credentials.VARIABLE, file.toString()));
        for (Credentials.Persona persona : Credentials.LOCAL_PERSONAS) {
            JsonNode claims = claimsOf(credentials.tokenOf(persona.subject()).orElseThrow());
            assertThat(claims.path("sub").asText()).isEqualTo(persona.subject());
            assertThat(claims.path("groups")).extracting(JsonNode::asText)
                    .containsExactlyElementsOf(persona.roles());
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        }
    }

    /** The README's table of roles, each held by at least one local persona (the console's sign-in lists them). */
    @Test
    void everyRoleOfTheReadmeHasALocalPersona() {
        assertThat(Credentials.LOCAL_PERSONAS.stream().flatMap(persona -> persona.roles().stream()))
                .containsAll(List.of("ci", "publisher", "deployer", "approver", "release-manager", "sre", "telemetry",
                        "viewer"));
    }

    @Test
    void credentialsSayWhereTheyLookedWhenThereAreNone(@TempDir Path directory) {
        assertThat(Credentials.from(Map.of()).source()).isEqualTo("(TWOSTEP_TOKENS is not set)");
        Credentials missing = Credentials.from(Map.of(Credentials.VARIABLE, directory.resolve("none").toString()));
        assertThat(missing.source()).isEqualTo(directory.resolve("none") + " (missing)");
        assertThat(missing.tokenOf("bob")).isEmpty();
    }

    private static JsonNode claimsOf(String jwt) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = TwostepCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
