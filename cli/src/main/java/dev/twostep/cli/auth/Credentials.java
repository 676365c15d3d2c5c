package dev.twostep.cli.auth;

import dev.twostep.tokens.LocalIssuer;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The bearer tokens the command line acts with, one per person or tool, read from a properties file
 * ({@code subject=token}) that {@code TWOSTEP_TOKENS} names; {@code ./twostep up} writes it for the local platform.
 */
public final class Credentials {

    public static final String VARIABLE = "TWOSTEP_TOKENS";

    /** Who the demo story and the other commands act as on a local platform, and what each may do. */
    public record Persona(String subject, List<String> roles) {
    }

    public static final String VIEWER = "viewer";

    public static final List<Persona> LOCAL_PERSONAS = List.of(
            new Persona("github-actions", List.of("ci")),
            new Persona("dana", List.of("publisher")),
            new Persona("bob", List.of("deployer", "approver")),
            new Persona("alice", List.of("approver")),
            new Persona("carol", List.of("release-manager")),
            new Persona("sam", List.of("sre")),
            new Persona("argo-cd", List.of("deployer")),
            new Persona("traffic-simulator", List.of("telemetry")),
            new Persona(VIEWER, List.of("viewer")));

    private final Map<String, String> tokens;
    private final String source;

    private Credentials(Map<String, String> tokens, String source) {
        this.tokens = tokens;
        this.source = source;
    }

    /** The tokens named by {@code TWOSTEP_TOKENS}, or none when it is unset or the file is missing. */
    public static Credentials from(Map<String, String> environment) {
        String file = environment.get(VARIABLE);
        if (file == null || file.isBlank() || !Files.isReadable(Path.of(file))) {
            return new Credentials(Map.of(), file == null ? "(" + VARIABLE + " is not set)" : file + " (missing)");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens in " + file, e);
        }
        Map<String, String> tokens = new HashMap<>();
        properties.forEach((subject, token) -> tokens.put((String) subject, (String) token));
        return new Credentials(Map.copyOf(tokens), file);
    }

    /** The token to act as {@code subject} with; none when this file holds no token for it. */
    public Optional<String> tokenOf(String subject) {
        return Optional.ofNullable(tokens.get(subject));
    }

    /** Where the tokens came from, for an error message. */
    public String source() {
        return source;
    }

    /**
     * Makes the local issuer's key in {@code directory} (once) and writes a token for every local persona to
     * {@code tokens.properties} beside it, readable by the owner only. Returns that file.
     */
    public static Path issueLocal(Path directory, Duration validity) {
        LocalIssuer issuer = LocalIssuer.in(directory);
        Properties properties = new Properties();
        for (Persona persona : LOCAL_PERSONAS) {
            properties.setProperty(persona.subject(), issuer.token(persona.subject(), validity, persona.roles()));
        }
        Path file = directory.resolve("tokens.properties");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "Local bearer tokens (subject=token), valid for " + validity
                        + ". Verified with " + issuer.publicKeyFile().getFileName() + "; never use them elsewhere.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
