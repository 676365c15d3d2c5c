package dev.twostep.cli.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.Topics;
import dev.twostep.events.UndecodableEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/** All {@code twostep.*.events} topics merged into one timeline, for people (or raw, with --json). */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Print the merged event log of all services: time, type, subject, actor and a summary.")
public final class LogCommand implements Callable<Integer> {

    @Option(names = "--follow", description = "Keep printing new events as they arrive.")
    boolean follow;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only events at or after this time: an RFC 3339 time, or a duration back from now (10m, 2h).")
    String since;

    @Option(names = "--feature", description = "Only events about this feature key.")
    String feature;

    @Option(names = "--env", description = "Only events about this environment.")
    String environment;

    @Option(names = "--app", description = "Only events about this application (artefact name).")
    String application;

    @Option(names = "--correlation", description = "Only events of this story (correlation id).")
    String correlation;

    @Option(names = "--json", description = "Print each event as its raw CloudEvent in JSON, one per line.")
    boolean json;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka to read from (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    private final PrintStream out;

    public LogCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Instant from = SinceParser.parse(since, Instant.now());
        List<String> topics = Topics.ALL.stream().filter(topic -> topic.endsWith(".events")).toList();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(5)).forEach(p ->
                        partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);

            // The history is read whole first, so events of different topics print in time order.
            List<ConsumerRecord<String, byte[]>> history = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(history::add);
            }
            history.stream().map(Decoded::of).filter(d -> d.matches(this, from))
                    .sorted(Comparator.comparing(d -> d.event().time())).forEach(this::print);
            while (follow) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Decoded decoded = Decoded.of(record);
                    if (decoded.matches(this, from)) {
                        print(decoded);
                    }
                }
            }
        } catch (KafkaException e) {
            throw new dev.twostep.cli.api.PlatformError("Kafka is not reachable at " + bootstrapServers
                    + ": start the platform with ./twostep up (or set KAFKA_BOOTSTRAP_SERVERS)");
        }
        return 0;
    }

    private Properties config() {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.put("default.api.timeout.ms", "10000");
        return config;
    }

    private void print(Decoded decoded) {
        out.println(json ? rawCloudEvent(decoded.record()) : EventLine.of(decoded.event()));
    }

    /** A record that is not a Twostep event (it would be in a DLQ) is skipped by the log, never fatal. */
    private record Decoded(ConsumerRecord<String, byte[]> record, EventEnvelope event) {

        static Decoded of(ConsumerRecord<String, byte[]> record) {
            try {
                return new Decoded(record, CloudEventCodec.fromRecord(record));
            } catch (UndecodableEvent e) {
                return new Decoded(record, null);
            }
        }

        boolean matches(LogCommand filters, Instant from) {
            if (event == null || (from != null && event.time().isBefore(from))) {
                return false;
            }
            if (filters.correlation != null && !filters.correlation.equals(event.correlationId())) {
                return false;
            }
            JsonNode data = EventJson.mapper().valueToTree(event.data());
            return about(data, filters.feature, "featureKey")
                    && about(data, filters.environment, "environment", "name")
                    && about(data, filters.application, "application", "name");
        }

        /** An event is about a value when one of its naming fields holds it (a build: one of its artefacts). */
        private static boolean about(JsonNode data, String wanted, String... fields) {
            if (wanted == null) {
                return true;
            }
            for (String field : fields) {
                if (wanted.equals(data.path(field).asText(null))) {
                    return true;
                }
            }
            for (JsonNode artefact : data.path("artefacts")) {
                if (wanted.equals(artefact.path("name").asText(null))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The CloudEvent in structured form: the {@code ce_*} attributes and the JSON data, as on the topic. */
    private static String rawCloudEvent(ConsumerRecord<String, byte[]> record) {
        ObjectNode cloudEvent = EventJson.mapper().createObjectNode();
        for (Header header : record.headers()) {
            if (header.key().startsWith("ce_")) {
                cloudEvent.put(header.key().substring(3), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        try {
            cloudEvent.set("data", EventJson.mapper().readTree(record.value()));
        } catch (IOException e) {
            cloudEvent.put("data_base64", java.util.Base64.getEncoder().encodeToString(record.value()));
        }
        return cloudEvent.toString();
    }
}
