package dev.twostep.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real Apache Kafka broker (KRaft, combined broker and controller) inside the test JVM,
 * started on first use and shared by every test of the run. Set {@code TWOSTEP_TEST_KAFKA} to
 * a bootstrap address to use an already running broker instead.
 */
public final class TestBroker {

    private static String bootstrapServers;

    private TestBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            String external = System.getenv("TWOSTEP_TEST_KAFKA");
            bootstrapServers = external != null && !external.isBlank() ? external : startInJvm();
        }
        return bootstrapServers;
    }

    private static String startInJvm() {
        try {
            Files.createDirectories(Path.of("target"));
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    // Inside the module's target folder, so `mvn clean` removes what a run leaves.
                    .setBaseDirectory(Files.createTempDirectory(Path.of("target"), "kafka-test"))
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "3")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            // No shutdown hook closes it: closing the broker while Quarkus shuts down races with the
            // broker's own fault handler, which may halt the JVM with a non-zero status. Its threads
            // die with the test JVM.
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
        }
    }
}
