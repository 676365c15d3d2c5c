package dev.twostep.e2e;

import dev.twostep.cli.api.Service;
import dev.twostep.cli.auth.Credentials;
import dev.twostep.tokens.LocalIssuer;
import dev.twostep.testing.TestBroker;
import dev.twostep.testing.TestDatabase;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The five packaged services, each a separate process on a free port with a fresh database, on one real Kafka
 * broker. The tests reach them only through their public APIs and the topics, as users do, with bearer tokens that
 * the services verify against the local issuer's key, exactly as {@code ./twostep up} runs them.
 */
final class Platform implements AutoCloseable {

    private static final Map<Service, String> DATABASE_PREFIX = Map.of(Service.BUILD, "e2e_build",
            Service.REGISTRY, "e2e_registry", Service.DEPLOY, "e2e_deploy", Service.RELEASE, "e2e_release",
            Service.ROLLOUT, "e2e_rollout");

    private final Path root = Path.of(System.getProperty("twostep.root", "..")).toAbsolutePath().normalize();
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final List<TestDatabase> databases = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path auth = root.resolve("e2e/target/e2e-auth");
    private Path tokens;

    static Platform start() {
        Platform platform = new Platform();
        try {
            platform.launch();
            return platform;
        } catch (RuntimeException | IOException e) {
            platform.close();
            throw new IllegalStateException("the platform did not start: " + e.getMessage(), e);
        }
    }

    /** The addresses, as the CLI reads them from its environment. */
    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        ports.forEach((service, port) -> environment.put(service.variable(), "http://127.0.0.1:" + port));
        environment.put("KAFKA_BOOTSTRAP_SERVERS", TestBroker.bootstrapServers());
        environment.put(Credentials.VARIABLE, tokens.toString());
        return environment;
    }

    private void launch() throws IOException {
        String bootstrap = TestBroker.bootstrapServers();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path logs = Files.createDirectories(root.resolve("e2e/target/e2e-logs"));
        tokens = Credentials.issueLocal(auth, Duration.ofHours(2));
        for (Service service : Service.values()) {
            TestDatabase database = TestDatabase.create(DATABASE_PREFIX.get(service));
            databases.add(database);
            int port = freePort();
            ports.put(service, port);
            Path jar = root.resolve(service.serviceName() + "/target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
            }
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                    jar.toString());
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
            builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            builder.environment().put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", auth.resolve(LocalIssuer.PUBLIC_KEY_FILE).toString());
            builder.redirectErrorStream(true).redirectOutput(logs.resolve(service.serviceName() + ".log").toFile());
            processes.add(builder.start());
        }
        for (Service service : Service.values()) {
            await().alias(service.serviceName() + " ready").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500)).until(() -> ready(ports.get(service)));
        }
    }

    private static boolean ready(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                    + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        databases.forEach(TestDatabase::drop);
    }
}
