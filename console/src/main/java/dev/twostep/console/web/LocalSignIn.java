package dev.twostep.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.EventJson;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The local platform's sign-in: pick one of the local personas, and the console keeps that persona's token (from the
 * file {@code ./twostep up} writes, {@code TWOSTEP_TOKENS}) in the session cookie. The tokens are the same ones the
 * CLI and the demo use, signed by the local issuer, so the services check them exactly like any other.
 *
 * <p>Off unless {@code twostep.console.local-sign-in=true} ({@code TWOSTEP_CONSOLE_LOCAL_SIGN_IN}), which only
 * {@code ./twostep up} sets. A console that verifies another issuer's tokens (an OIDC provider's,
 * {@code MP_JWT_VERIFY_ISSUER}) or signs people in at a provider ({@link SignInResource}) refuses to start with it
 * switched on, so a production configuration cannot carry it by accident; {@code deploy/k8s-tests} holds that the prod
 * overlay sets neither the flag nor a tokens file.
 */
@Startup
@ApplicationScoped
public class LocalSignIn {

    /** A local persona, as the sign-in page lists it. */
    public record Persona(String name, List<String> roles) {
    }

    /** The local issuer's name ({@code local-tokens}' LocalIssuer.ISSUER), which ./twostep up's services verify. */
    static final String LOCAL_ISSUER = "twostep-local";

    private final boolean enabled;
    private final Optional<Path> tokensFile;

    LocalSignIn(@ConfigProperty(name = "twostep.console.local-sign-in") boolean enabled,
                @ConfigProperty(name = "twostep.tokens") Optional<Path> tokensFile,
                @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
                @ConfigProperty(name = "quarkus.oidc.tenant-enabled") boolean providerSignIn) {
        if (enabled && providerSignIn) {
            throw new IllegalStateException("twostep.console.local-sign-in=true beside the OpenID Connect sign-in"
                    + " (quarkus.oidc.tenant-enabled=true): people sign in at the provider or as a local persona,"
                    + " never both");
        }
        if (enabled && !LOCAL_ISSUER.equals(issuer)) {
            throw new IllegalStateException("twostep.console.local-sign-in=true while tokens are verified for issuer '"
                    + issuer + "': the local personas' sign-in is for ./twostep up's local issuer only");
        }
        if (enabled && tokensFile.isEmpty()) {
            throw new IllegalStateException("twostep.console.local-sign-in=true needs the local tokens file"
                    + " (TWOSTEP_TOKENS, which ./twostep up sets)");
        }
        this.enabled = enabled;
        this.tokensFile = tokensFile;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Read at each sign-in, so that {@code ./twostep tokens} takes effect without a restart. */
    public List<Persona> personas() {
        List<Persona> personas = new ArrayList<>();
        tokens().forEach((name, token) -> personas.add(new Persona(name, roles(token))));
        return personas;
    }

    public Optional<String> tokenOf(String persona) {
        return Optional.ofNullable(tokens().get(persona));
    }

    private Map<String, String> tokens() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(tokensFile.orElseThrow())) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local tokens " + tokensFile.orElseThrow(), e);
        }
        Map<String, String> tokens = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> tokens.put(name, properties.getProperty(name)));
        return tokens;
    }

    /** The roles a local token carries, read (not verified: the page only lists them) from its payload. */
    private static List<String> roles(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return List.of();
        }
        try {
            JsonNode payload = EventJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            List<String> roles = new ArrayList<>();
            payload.path("groups").forEach(role -> roles.add(role.asText()));
            return roles;
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }
}
