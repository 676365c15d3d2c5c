package dev.twostep.console.web;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Keycloak for the console's OpenID Connect sign-in: the distribution the console's build unpacks into
 * {@code target/keycloak} (Maven resolves {@code org.keycloak:keycloak-quarkus-dist} into {@code ~/.m2}), started as a
 * child process in development mode on free ports, with an in-memory database and the realm
 * {@code keycloak/twostep-realm.json} imported: realm {@code twostep}, the confidential client
 * {@code twostep-console}, and the people {@code alice} (approver, release-manager) and {@code viewer}.
 *
 * <p>The console is pointed at it the way the prod overlay points it at a provider: the issuer and its keys for bearer
 * tokens, the realm roles as the roles claim, and the code flow switched on with the client's id and secret. Ordered
 * after {@code RealInfrastructure}, whose test key this replaces.
 */
public class TestKeycloak implements QuarkusTestResourceLifecycleManager {

    static final String REALM = "twostep";
    static final String CLIENT_ID = "twostep-console";
    /** The client's secret in the realm file. */
    static final String CLIENT_SECRET = "twostep-console-secret-of-the-sign-in-test";

    /** Development mode builds its server on the first start, which takes a minute or more on a busy 2-core machine. */
    private static final Duration READY_WITHIN = Duration.ofMinutes(4);

    private Process process;

    @Override
    public Map<String, String> start() {
        Path home = distribution();
        int port = freePort();
        URI issuer = URI.create("http://127.0.0.1:" + port + "/realms/" + REALM);
        Path log = home.resolve("keycloak.log");
        try {
            Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
            try (InputStream realm = getClass().getResourceAsStream("/keycloak/twostep-realm.json")) {
                Files.copy(realm, imports.resolve("twostep-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder keycloak = new ProcessBuilder(home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort(),
                    "--db=dev-mem", "--import-realm")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            keycloak.environment().put("JAVA_HOME", System.getProperty("java.home"));
            process = keycloak.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        }
        awaitRealm(issuer, log);
        return Map.of(
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.client-id", CLIENT_ID,
                "quarkus.oidc.credentials.secret", CLIENT_SECRET,
                "mp.jwt.verify.issuer", issuer.toString(),
                "mp.jwt.verify.publickey.location", issuer + "/protocol/openid-connect/certs",
                "smallrye.jwt.path.groups", "realm_access/roles");
    }

    /** After {@code RealInfrastructure} (order 0), so that its test issuer's key gives way to Keycloak's. */
    @Override
    public int order() {
        return 1;
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ready once the realm has been imported and its OpenID Connect discovery document is served. */
    private void awaitRealm(URI issuer, Path log) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        await("Keycloak serving the realm " + REALM + " (log: " + log + ")").atMost(READY_WITHIN)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
                    }
                    return http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    /** The distribution the build unpacked ({@code console/pom.xml}, execution keycloak-for-the-sign-in-test). */
    private static Path distribution() {
        try (Stream<Path> unpacked = Files.list(Path.of("target", "keycloak"))) {
            return unpacked.filter(path -> path.getFileName().toString().startsWith("keycloak-")
                            && Files.isExecutable(path.resolve("bin").resolve("kc.sh")))
                    .findFirst().orElseThrow().toAbsolutePath();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException("no Keycloak under target/keycloak: the console's build unpacks it before"
                    + " the tests (mvn -pl console verify)", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
