package dev.twostep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, {@code /usr/bin/prometheus}, or
 * {@code TWOSTEP_TEST_PROMETHEUS}) for one test run: its own free port, its own configuration and a temporary data
 * folder, scraping one target every second. {@link #close()} stops it and deletes the folder. A machine without
 * the binary fails the test with the way to install it: a skipped guard test would look like a passing one.
 */
public final class TestPrometheus implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final Path folder;
    private final URI url;

    private TestPrometheus(Process process, Path folder, URI url) {
        this.process = process;
        this.folder = folder;
        this.url = url;
    }

    /** Starts Prometheus scraping {@code http://target/metrics} every second and waits until it is ready. */
    public static TestPrometheus scraping(String target) {
        Path binary = Path.of(System.getenv().getOrDefault("TWOSTEP_TEST_PROMETHEUS", "/usr/bin/prometheus"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("no Prometheus at " + binary
                    + ": install it (apt-get install -y prometheus) or set TWOSTEP_TEST_PROMETHEUS");
        }
        try {
            Path folder = Files.createTempDirectory("twostep-prometheus");
            Path config = folder.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: app
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(target));
            int port = freePort();
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + folder.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(folder.resolve("prometheus.log").toFile()).start();
            TestPrometheus prometheus = new TestPrometheus(process, folder, URI.create("http://127.0.0.1:" + port));
            prometheus.awaitReady();
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Prometheus", e);
        }
    }

    public URI url() {
        return url;
    }

    /** Stops the server and waits for it, so a test can see what the analyzer does while Prometheus is away. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited with " + process.exitValue() + "; see "
                        + folder.resolve("prometheus.log"));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Prometheus started", e);
            }
            // A process start has no event to wait on; poll its readiness endpoint at a short fixed pace.
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        stop();
        throw new IllegalStateException("Prometheus was not ready within " + READY_WITHIN);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
