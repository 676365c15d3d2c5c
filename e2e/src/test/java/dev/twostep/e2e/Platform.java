package dev.twostep.e2e;

import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.Service;
import dev.twostep.cli.auth.Credentials;
import dev.twostep.testing.TcpProxy;
import dev.twostep.testing.TestBroker;
import dev.twostep.testing.TestDatabase;
import dev.twostep.tokens.LocalIssuer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The five packaged services, each a separate process on a free port with a fresh database, on one real Kafka
 * broker. The tests reach them only through their public APIs and the topics, as users do, with bearer tokens that
 * the services verify against the local issuer's key, exactly as {@code ./twostep up} runs them.
 *
 * <p>Tests that break things on purpose can kill a service with SIGKILL and start it again on the same port and
 * database, and can cut the build-service or the artifact-registry off its database: those reach PostgreSQL through a
 * {@link TcpProxy}.
 *
 * <p>The console (the web pages of issue 19) starts only for the tests that ask for it ({@link #console}).
 */
final class Platform implements AutoCloseable {

    private static final Map<Service, String> DATABASE_PREFIX = Map.of(Service.BUILD, "e2e_build",
            Service.REGISTRY, "e2e_registry", Service.DEPLOY, "e2e_deploy", Service.RELEASE, "e2e_release",
            Service.ROLLOUT, "e2e_rollout");

    private final Path root = Path.of(System.getProperty("twostep.root", "..")).toAbsolutePath().normalize();
    private final Path auth = root.resolve("e2e/target/e2e-auth");
    private final String bootstrapServers;
    private final Set<Service> services;
    private final int replicas;
    private final Path logs;
    private final Map<Instance, Integer> ports = new HashMap<>();
    private final Map<Service, TestDatabase> databases = new EnumMap<>(Service.class);
    private final Map<Instance, ProcessBuilder> commands = new HashMap<>();
    private final Map<Instance, Process> processes = new HashMap<>();
    /**
     * The services whose database the fault tests cut, on the shared platform they run on. Only these go through a
     * proxy, and only there: the proxy copies every byte through the test JVM, and on two cores that put the replica
     * campaign's consumers seconds behind, past the services' 2 s catch-up bound.
     */
    private static final Set<Service> CUT_OFF_BY_TESTS = EnumSet.of(Service.BUILD, Service.REGISTRY);

    private final Set<Service> proxied;

    /** The services that consume topics, each in a consumer group named after it. */
    private static final Set<Service> CONSUMERS = EnumSet.of(Service.REGISTRY, Service.DEPLOY, Service.RELEASE,
            Service.ROLLOUT);

    private final Map<Service, TcpProxy> databaseProxies = new EnumMap<>(Service.class);
    private Path tokens;
    private Process console;
    private TestDatabase consoleDatabase;
    private String consoleUrl;

    /** One process of a service: replica 0, 1, ... share the service's database and consumer groups. */
    record Instance(Service service, int replica) {
    }

    private Platform(String bootstrapServers, Set<Service> services, int replicas, Set<Service> proxied, String name) {
        this.bootstrapServers = bootstrapServers;
        this.services = Set.copyOf(services);
        this.replicas = replicas;
        this.proxied = Set.copyOf(proxied);
        this.logs = root.resolve("e2e/target/e2e-logs/" + name);
    }

    /**
     * All five services on the shared test broker, the build-service's and the artifact-registry's databases behind
     * proxies that {@link #database} hands out; their logs go to {@code e2e/target/e2e-logs/shared}.
     */
    static Platform start() {
        return start("shared", TestBroker.bootstrapServers(), EnumSet.allOf(Service.class), 1, CUT_OFF_BY_TESTS);
    }

    /** Some of the services, on a broker of the test's own; {@code name} names their log folder. */
    static Platform start(String name, String bootstrapServers, Set<Service> services) {
        return start(name, bootstrapServers, services, 1);
    }

    /** As {@link #start(String, String, Set)}, with {@code replicas} processes per service, as Kubernetes runs them. */
    static Platform start(String name, String bootstrapServers, Set<Service> services, int replicas) {
        return start(name, bootstrapServers, services, replicas, Set.of());
    }

    private static Platform start(String name, String bootstrapServers, Set<Service> services, int replicas,
                                  Set<Service> proxied) {
        Platform platform = new Platform(bootstrapServers, services, replicas, proxied, name);
        try {
            platform.launch();
            return platform;
        } catch (RuntimeException | IOException e) {
            platform.close();
            throw new IllegalStateException("the platform did not start: " + e.getMessage(), e);
        }
    }

    /** The addresses and the tokens file, as the CLI reads them from its environment. */
    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        services.forEach(service -> environment.put(service.variable(), url(service)));
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        environment.put(Credentials.VARIABLE, tokens.toString());
        if (consoleUrl != null) {
            environment.put(PlatformClient.CONSOLE_VARIABLE, consoleUrl);
        }
        return environment;
    }

    String url(Service service) {
        return url(service, 0);
    }

    String url(Service service, int replica) {
        return "http://127.0.0.1:" + ports.get(new Instance(service, replica));
    }

    /** The tokens of the local personas, as {@code ./twostep up} writes them. */
    Credentials credentials() {
        return Credentials.from(environment());
    }

    /** The issuer the services trust, to mint tokens the local personas do not have. */
    LocalIssuer issuer() {
        return LocalIssuer.in(auth);
    }

    /**
     * A service's way to its database, which a test may cut; the tests' own reads ({@link #count}) go around it.
     * Only the shared platform's build-service and artifact-registry have one.
     */
    TcpProxy database(Service service) {
        TcpProxy proxy = databaseProxies.get(service);
        if (proxy == null) {
            throw new IllegalStateException(service.serviceName() + "'s database has no proxy on this platform");
        }
        return proxy;
    }

    /** A connection of the test's own to a service's database, around the proxy. */
    Connection connect(Service service) throws SQLException {
        TestDatabase database = databases.get(service);
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
    }

    /** What replica 0 of the service has logged so far, across its restarts. */
    String log(Service service) {
        try {
            return Files.readString(logs.resolve(logName(new Instance(service, 0))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + service.serviceName(), e);
        }
    }

    /**
     * Rows per table in every service's database, to compare before and after something that must change nothing.
     * {@code consumed_position} is left out: consuming anything, poison included, moves it, which is its purpose.
     */
    Map<String, Long> rowCounts() {
        Map<String, Long> counts = new TreeMap<>();
        databases.keySet().forEach(service -> {
            try (Connection connection = connect(service)) {
                ResultSet tables = connection.createStatement().executeQuery("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = 'public'
                          AND table_name NOT IN ('flyway_schema_history', 'consumed_position')""");
                while (tables.next()) {
                    String table = tables.getString(1);
                    ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM " + table);
                    count.next();
                    counts.put(service.serviceName() + "." + table, count.getLong(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot count the rows of " + service.serviceName(), e);
            }
        });
        return counts;
    }

    /** One number from a service's own database. */
    long count(Service service, String sql) {
        try (Connection connection = connect(service);
             ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + " on " + service.serviceName(), e);
        }
    }

    /** SIGKILL: no shutdown hooks, no flushing, exactly like an OOM kill or a lost node. */
    void kill(Service service) {
        kill(service, 0);
    }

    void kill(Service service, int replica) {
        try {
            processes.get(new Instance(service, replica)).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the service again on its port and database, and waits until it is ready. */
    void restart(Service service) {
        restart(service, 0);
    }

    void restart(Service service, int replica) {
        Instance instance = new Instance(service, replica);
        try {
            processes.put(instance, commands.get(instance).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.serviceName() + " again", e);
        }
        awaitReady(service, replica);
    }

    private void launch() throws IOException {
        Files.createDirectories(logs);
        tokens = Credentials.issueLocal(auth, Duration.ofHours(2));
        // Every port first: the release-controller asks the rollout-analyzer to check a rollout's Prometheus guards
        // (twostep.release.analyzer-url), so it must know where the analyzer will listen when it starts.
        for (Service service : services) {
            for (int replica = 0; replica < replicas; replica++) {
                ports.put(new Instance(service, replica), freePort());
            }
        }
        for (Service service : services) {
            TestDatabase database = TestDatabase.create(DATABASE_PREFIX.get(service));
            databases.put(service, database);
            String jdbcUrl = database.jdbcUrl();
            if (proxied.contains(service)) {
                TcpProxy proxy = TcpProxy.to(database.host(), database.port());
                databaseProxies.put(service, proxy);
                jdbcUrl = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name();
            }
            for (int replica = 0; replica < replicas; replica++) {
                start(new Instance(service, replica), jdbcUrl);
            }
        }
        for (Service service : services) {
            for (int replica = 0; replica < replicas; replica++) {
                awaitReady(service, replica);
            }
        }
        awaitConsumerGroupsSettled();
    }

    /**
     * Waits until the consumer group of every service that consumes has all its members and stays Stable for a few
     * seconds. A ready replica may still be joining its group, and each join makes the group rebalance, which holds
     * every member's consumption for seconds: a test that counts on consumers keeping up must not start in one.
     */
    private void awaitConsumerGroupsSettled() {
        Set<String> groups = new HashSet<>();
        services.stream().filter(CONSUMERS::contains).forEach(service -> groups.add(service.serviceName()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            await().alias("consumer groups " + groups + " settled").atMost(Duration.ofMinutes(2))
                    .during(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values()
                            .stream().allMatch(this::settled));
        }
    }

    /** Stable, with each of the service's channels (a client id) joined once by every replica. */
    private boolean settled(ConsumerGroupDescription group) {
        long channels = group.members().stream().map(MemberDescription::clientId).distinct().count();
        return group.groupState() == GroupState.STABLE && channels > 0
                && group.members().size() == channels * replicas;
    }

    private void start(Instance instance, String jdbcUrl) throws IOException {
        Service service = instance.service();
        // Appends, so that a restarted service's log follows the killed one's.
        ProcessBuilder command = command(service.serviceName(), ports.get(instance), jdbcUrl,
                logs.resolve(logName(instance)));
        if (service == Service.RELEASE && services.contains(Service.ROLLOUT)) {
            command.environment().put("TWOSTEP_RELEASE_ANALYZER_URL", url(Service.ROLLOUT));
        }
        if (service == Service.ROLLOUT) {
            // Prometheus guards are read every second instead of every 10 s, so that a rollout judged from
            // Prometheus (PrometheusRolloutTest) ends in seconds; a source that fails is retried within 2 s.
            command.environment().put("TWOSTEP_ANALYZER_PROMETHEUS_POLL_EVERY", "1s");
            command.environment().put("TWOSTEP_ANALYZER_PROMETHEUS_MAX_BACKOFF", "2s");
            // PrometheusRolloutTest's plans name their TestPrometheus, on a free port of this machine; a plan may name
            // only an allowed Prometheus (twostep.analyzer.prometheus.allowed-urls).
            command.environment().put("TWOSTEP_ANALYZER_PROMETHEUS_ALLOWED_URLS", "http://127.0.0.1:");
        }
        commands.put(instance, command);
        processes.put(instance, command.start());
    }

    /**
     * A packaged module ({@code <module>/target/quarkus-app}) as a process on its port and database, on this
     * platform's broker, trusting the local issuer; its output is appended to {@code log}.
     */
    private ProcessBuilder command(String module, int port, String jdbcUrl, Path log) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = root.resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
        }
        ProcessBuilder command = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString());
        command.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        command.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        command.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        command.environment().put("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                auth.resolve(LocalIssuer.PUBLIC_KEY_FILE).toString());
        command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return command;
    }

    /**
     * The packaged console's address, started on the first call as {@code ./twostep up} runs it: the local sign-in on
     * over this platform's tokens file, the services it reads and acts on at their addresses here, a fresh database
     * and its own consumer group on the platform's broker. Its log is {@code console.log} beside the services'.
     */
    synchronized String console() {
        if (consoleUrl == null) {
            try {
                consoleDatabase = TestDatabase.create("e2e_console");
                int port = freePort();
                ProcessBuilder command = command("console", port, consoleDatabase.jdbcUrl(),
                        logs.resolve("console.log"));
                command.environment().put("TWOSTEP_CONSOLE_LOCAL_SIGN_IN", "true");
                command.environment().put(Credentials.VARIABLE, tokens.toString());
                for (Service service : EnumSet.of(Service.DEPLOY, Service.RELEASE, Service.ROLLOUT)) {
                    command.environment().put(service.variable(), url(service));
                }
                console = command.start();
                consoleUrl = "http://127.0.0.1:" + port;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the console", e);
            }
            await().alias("console ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> answersReady(consoleUrl));
        }
        return consoleUrl;
    }

    /**
     * Stops the console and drops its database, so the tests after the one that asked for it run on the five services
     * alone: a console reads every topic but the metrics, and on two cores that slows the replica campaign.
     */
    synchronized void stopConsole() {
        if (console == null) {
            return;
        }
        stop(List.of(console));
        console = null;
        consoleUrl = null;
        consoleDatabase.drop();
        consoleDatabase = null;
    }

    private static String logName(Instance instance) {
        return instance.service().serviceName() + (instance.replica() == 0 ? "" : "-" + instance.replica()) + ".log";
    }

    void awaitReady(Service service) {
        awaitReady(service, 0);
    }

    void awaitReady(Service service, int replica) {
        await().alias(service.serviceName() + " " + replica + " ready").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).until(() -> ready(service, replica));
    }

    boolean ready(Service service) {
        return ready(service, 0);
    }

    boolean ready(Service service, int replica) {
        return answersReady(url(service, replica));
    }

    private static boolean answersReady(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url + "/q/health/ready")
                    .toURL()
                    .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port nothing listens on right now, for a process the test is about to start. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Asks the processes to stop (SIGTERM, a graceful shutdown), and kills those still running after 20 s. */
    private static void stop(List<Process> processes) {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        List<Process> running = new ArrayList<>(processes.values());
        if (console != null) {
            running.add(console);
        }
        stop(running);
        databaseProxies.values().forEach(TcpProxy::close);
        // -Dtwostep.e2e.keep-databases=true keeps them, to study a run afterwards (lags from processed_event).
        if (!Boolean.getBoolean("twostep.e2e.keep-databases")) {
            databases.values().forEach(TestDatabase::drop);
            if (consoleDatabase != null) {
                consoleDatabase.drop();
            }
        }
    }
}
