package dev.twostep.e2e;

import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) in a process of its own, on fixed ports and a
 * data folder that outlive the process, so a test can kill it and start it again as an operator would restart a
 * broker. It runs Kafka's own {@code kafka.Kafka} main from the test's class path.
 */
final class ExternalBroker implements AutoCloseable {

    private final int port;
    private final ProcessBuilder command;
    private Process process;

    private ExternalBroker(int port, ProcessBuilder command) {
        this.port = port;
        this.command = command;
    }

    static ExternalBroker start(Path directory) {
        try {
            Files.createDirectories(directory);
            int port = Platform.freePort();
            int controllerPort = Platform.freePort();
            Path properties = directory.resolve("server.properties");
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller", "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + directory.resolve("data"), "num.partitions=3", "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0", ""));
            String java = ProcessHandle.current().info().command().orElse("java");
            String classPath = System.getProperty("java.class.path");
            Process format = new ProcessBuilder(java, "-cp", classPath, "kafka.tools.StorageTool", "format", "-t",
                    Uuid.randomUuid().toString(), "-c", properties.toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("format.log").toFile()).start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting the broker's storage failed; see " + directory);
            }
            ProcessBuilder command = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", classPath, "kafka.Kafka",
                    properties.toString())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile()));
            ExternalBroker broker = new ExternalBroker(port, command);
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a broker in " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the broker's storage", e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL, as when the broker's node is lost; its data folder stays. */
    void kill() {
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !listening());
    }

    /** Starts it again on the same ports and data. */
    void launch() {
        try {
            process = command.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker", e);
        }
        await().alias("the broker listening").atMost(Duration.ofMinutes(1)).until(this::listening);
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
