package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Strimzi resources against the events module's topic catalogue and the services' Kafka channels. */
class KafkaTest {

    /** Partitions of an event topic or twostep.metrics, and of a DLQ (deploy/k8s/README.md, "Partitions"). */
    private static final int EVENT_PARTITIONS = 12;
    private static final int DLQ_PARTITIONS = 1;

    /** Writes twostep.metrics for whatever ships the applications' metric samples; it is no Twostep service. */
    private static final String METRICS_PUBLISHER = "twostep-metrics-publisher";

    /** An ACL as "operation resourceType name", e.g. "Write topic twostep.build.events". */
    private record Acl(String operation, String resourceType, String name) {
        @Override
        public String toString() {
            return operation + " " + resourceType + " " + name;
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyCatalogueTopicAndItsDeadLetterTopicHasAKafkaTopicAndNothingElseDoes(Overlay overlay) {
        Set<String> expected = new TreeSet<>();
        for (String topic : Topics.ALL) {
            expected.add(topic);
            expected.add(Topics.deadLetter(topic));
        }
        assertThat(topicNames(Manifests.of(overlay))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyTopicIsKeptForeverWithTheExplainedPartitionCount(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        String cluster = manifests.single("Kafka").name();
        assertThat(manifests.ofKind("KafkaTopic")).allSatisfy(topic -> {
            assertThat(topic.at("metadata", "labels", "strimzi.io/cluster").asText()).as("%s cluster", topic)
                    .isEqualTo(cluster);
            assertThat(topic.at("spec", "config", "retention.ms").asLong()).as("%s retention.ms", topic).isEqualTo(-1);
            assertThat(topic.at("spec", "config", "cleanup.policy").asText("delete")).as("%s cleanup.policy", topic)
                    .isEqualTo("delete");
            assertThat(topic.at("spec", "partitions").asInt()).as("%s partitions", topic)
                    .isEqualTo(topicName(topic).endsWith(".dlq") ? DLQ_PARTITIONS : EVENT_PARTITIONS);
        });
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyTopicIsWrittenOrReadBySomeUser(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        Set<String> used = manifests.ofKind("KafkaUser").stream().flatMap(user -> acls(user).stream())
                .filter(acl -> acl.resourceType().equals("topic")).map(Acl::name).collect(Collectors.toSet());
        assertThat(used).as("topics named in an ACL").containsAll(topicNames(manifests));
        assertThat(topicNames(manifests)).as("ACLs that name a topic nobody declared").containsAll(used);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void eachServiceUserMayDoExactlyWhatItsCodeDoes(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        for (ServiceModule service : ServiceModule.ALL) {
            Set<Acl> granted = new HashSet<>(acls(manifests.get("KafkaUser", service.name())));
            Set<Acl> needed = new HashSet<>();
            service.publishes().ifPresent(topic -> needed.add(new Acl("Write", "topic", topic)));
            for (ServiceModule.IncomingChannel channel : service.consumes()) {
                assertThat(channel.groupId()).as("%s channel %s group.id", service.name(), channel.channel())
                        .isEqualTo(service.name());
                assertThat(channel.deadLetterTopic()).as("%s channel %s DLQ", service.name(), channel.channel())
                        .isEqualTo(Topics.deadLetter(channel.topic()));
                needed.add(new Acl("Read", "topic", channel.topic()));
                needed.add(new Acl("Write", "topic", channel.deadLetterTopic()));
                needed.add(new Acl("Read", "group", channel.groupId()));
            }
            assertThat(granted).as("ACLs of KafkaUser %s that its application.properties needs", service.name())
                    .containsAll(needed);
            assertThat(granted).as("ACLs of KafkaUser %s beyond its own topics and group (DESIGN.md)", service.name())
                    .isSubsetOf(designed(service.name()));
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theOnlyOtherUserMayOnlyWriteMetricSamples(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        List<String> expected = new ArrayList<>(ServiceModule.ALL.stream().map(ServiceModule::name).toList());
        expected.add(METRICS_PUBLISHER);
        assertThat(manifests.ofKind("KafkaUser")).extracting(KubeObject::name)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(acls(manifests.get("KafkaUser", METRICS_PUBLISHER)))
                .containsExactly(new Acl("Write", "topic", Topics.METRICS));
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void usersAuthenticateAsTheListenerExpectsAndTheClientsAreConfiguredForIt(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        KubeObject kafka = manifests.single("Kafka");
        assertThat(kafka.at("spec", "kafka", "authorization", "type").asText()).isEqualTo("simple");
        assertThat(kafka.at("spec", "entityOperator").has("userOperator")).as("a User Operator to reconcile KafkaUsers")
                .isTrue();
        assertThat(kafka.at("spec", "entityOperator").has("topicOperator")).as("a Topic Operator to reconcile KafkaTopics")
                .isTrue();
        JsonNode listeners = kafka.at("spec", "kafka", "listeners");
        assertThat(listeners).as("listeners of %s", kafka).hasSize(1);
        JsonNode listener = listeners.get(0);
        assertThat(listener.path("tls").asBoolean()).as("TLS on the listener").isTrue();
        assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(manifests.ofKind("KafkaUser")).allSatisfy(user -> {
            assertThat(user.at("spec", "authentication", "type").asText()).as("%s authentication", user)
                    .isEqualTo("scram-sha-512");
            assertThat(user.at("metadata", "labels", "strimzi.io/cluster").asText()).isEqualTo(kafka.name());
        });

        Map<String, String> client = ConfigMaps.data(manifests.get("ConfigMap", "twostep-kafka-client"));
        assertThat(client).containsEntry("KAFKA_BOOTSTRAP_SERVERS",
                kafka.name() + "-kafka-bootstrap:" + listener.path("port").asInt());
        assertThat(client).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        assertThat(client).containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        assertThat(client).containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theClusterRunsInKraftModeOnNodePoolsWithAQuorumAndEnoughBrokers(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        KubeObject kafka = manifests.single("Kafka");
        List<KubeObject> pools = manifests.ofKind("KafkaNodePool");
        assertThat(pools).allSatisfy(pool -> assertThat(pool.at("metadata", "labels", "strimzi.io/cluster").asText())
                .isEqualTo(kafka.name()));
        int controllers = nodes(pools, "controller");
        int brokers = nodes(pools, "broker");
        JsonNode config = kafka.at("spec", "kafka", "config");
        int replicationFactor = config.path("default.replication.factor").asInt();
        int minInSync = config.path("min.insync.replicas").asInt();
        assertThat(controllers % 2).as("an odd number of KRaft controllers").isEqualTo(1);
        assertThat(replicationFactor).as("default.replication.factor").isLessThanOrEqualTo(brokers);
        assertThat(config.path("offsets.topic.replication.factor").asInt()).isEqualTo(replicationFactor);
        assertThat(config.path("transaction.state.log.replication.factor").asInt()).isEqualTo(replicationFactor);
        assertThat(config.path("auto.create.topics.enable").asBoolean(true)).isFalse();
        assertThat(manifests.ofKind("KafkaTopic")).allSatisfy(topic -> {
            int replicas = topic.at("spec", "replicas").asInt();
            int topicMinInSync = topic.at("spec", "config", "min.insync.replicas").asInt(minInSync);
            assertThat(replicas).as("%s replicas", topic).isEqualTo(replicationFactor);
            assertThat(topicMinInSync).as("%s min.insync.replicas", topic).isLessThan(Math.max(replicas, 2));
        });
        if (overlay == Overlay.PROD) {
            assertThat(controllers).as("prod KRaft controllers").isEqualTo(3);
            assertThat(brokers).as("prod brokers").isEqualTo(3);
            assertThat(replicationFactor).as("prod replication factor").isEqualTo(3);
            assertThat(minInSync).as("prod min.insync.replicas").isEqualTo(2);
            assertThat(pools).as("prod: controllers and brokers in separate pools")
                    .allSatisfy(pool -> assertThat(pool.at("spec", "roles")).hasSize(1));
        } else {
            assertThat(controllers).as("dev: one node").isEqualTo(1);
            assertThat(brokers).as("dev: one node").isEqualTo(1);
        }
    }

    private static int nodes(List<KubeObject> pools, String role) {
        return pools.stream().filter(pool -> KubeObject.texts(pool.at("spec", "roles")).contains(role))
                .mapToInt(pool -> pool.at("spec", "replicas").asInt()).sum();
    }

    /**
     * DESIGN.md's services table: its own topic to write, the topics it consumes, and its group. The console reads
     * every event topic that tells the story (not twostep.metrics) and writes none.
     */
    private static Set<Acl> designed(String service) {
        List<String> consumed = switch (service) {
            case "build-service" -> List.of();
            case "artifact-registry" -> List.of(Topics.BUILD_EVENTS);
            case "deploy-orchestrator" -> List.of(Topics.ARTEFACT_EVENTS);
            case "release-controller" -> List.of(Topics.ARTEFACT_EVENTS, Topics.DEPLOYMENT_EVENTS, Topics.ROLLOUT_EVENTS);
            case "rollout-analyzer" -> List.of(Topics.RELEASE_EVENTS, Topics.METRICS);
            case "console" -> List.of(Topics.BUILD_EVENTS, Topics.ARTEFACT_EVENTS, Topics.DEPLOYMENT_EVENTS,
                    Topics.RELEASE_EVENTS, Topics.ROLLOUT_EVENTS);
            default -> throw new AssertionError("not a service: " + service);
        };
        Set<Acl> acls = new HashSet<>();
        ServiceModule.named(service).publishes().ifPresent(topic -> acls.add(new Acl("Write", "topic", topic)));
        for (String topic : consumed) {
            acls.add(new Acl("Read", "topic", topic));
            acls.add(new Acl("Write", "topic", Topics.deadLetter(topic)));
            acls.add(new Acl("Read", "group", service));
        }
        if (service.equals("release-controller")) {
            // Each replica's flag snapshot follows the release topic itself, with no consumer group.
            acls.add(new Acl("Read", "topic", Topics.RELEASE_EVENTS));
        }
        return acls;
    }

    private static List<Acl> acls(KubeObject user) {
        assertThat(user.at("spec", "authorization", "type").asText()).as("%s authorization", user).isEqualTo("simple");
        List<Acl> acls = new ArrayList<>();
        for (JsonNode acl : user.at("spec", "authorization", "acls")) {
            JsonNode resource = acl.path("resource");
            assertThat(acl.path("type").asText("allow")).as("%s: deny rules are not expected", user).isEqualTo("allow");
            assertThat(resource.path("patternType").asText("literal")).as("%s: only literal names", user)
                    .isEqualTo("literal");
            assertThat(acl.path("host").asText("*")).isEqualTo("*");
            for (String operation : KubeObject.texts(acl.path("operations"))) {
                acls.add(new Acl(operation, resource.path("type").asText(), resource.path("name").asText()));
            }
        }
        return acls;
    }

    private static Set<String> topicNames(Manifests manifests) {
        return manifests.ofKind("KafkaTopic").stream().map(KafkaTest::topicName).collect(Collectors.toSet());
    }

    private static String topicName(KubeObject topic) {
        return topic.at("spec", "topicName").asText(topic.name());
    }
}
