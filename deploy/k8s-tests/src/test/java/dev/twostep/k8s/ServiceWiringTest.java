package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each service's Deployment, Service, ServiceMonitor and configuration against the service's own code. */
class ServiceWiringTest {

    /** The paths quarkus-smallrye-health serves (under the default /q root). */
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
    private static final String IMAGE_REPOSITORY = "ghcr.io/twostep-dev/";
    private static final Pattern IMAGE = Pattern.compile(Pattern.quote(IMAGE_REPOSITORY) + "([a-z-]+):([0-9A-Za-z.+-]+)");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([a-z0-9-]+):(\\d+)/([a-z_]+)(\\?.*)?");
    /** A default that reaches a service on the developer's machine, as ./twostep up runs them. */
    private static final Pattern LOCAL_URL = Pattern.compile("http://(?:127\\.0\\.0\\.1|localhost):(\\d+)/?");

    static Stream<Arguments> servicesInEachOverlay() {
        List<Arguments> cases = new ArrayList<>();
        for (Overlay overlay : Overlay.values()) {
            for (ServiceModule service : ServiceModule.ALL) {
                cases.add(Arguments.of(overlay, service.name()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void theServiceReachesThePortTheApplicationListensOn(Overlay overlay, String name) {
        Manifests manifests = Manifests.of(overlay);
        ServiceModule service = ServiceModule.named(name);
        ServicePod pod = ServicePod.of(manifests, name);
        JsonNode containerPort = pod.container().path("ports").get(0);
        assertThat(pod.container().path("ports")).as("%s ports", pod.deployment()).hasSize(1);
        assertThat(containerPort.path("name").asText()).isEqualTo("http");
        assertThat(containerPort.path("containerPort").asInt()).as("%s container port = quarkus.http.port", name)
                .isEqualTo(service.httpPort());

        KubeObject kubeService = manifests.get("Service", name);
        Map<String, String> podLabels = labels(pod.deployment().at("spec", "template", "metadata", "labels"));
        assertThat(podLabels).as("%s selects the pods of Deployment %s", kubeService, name)
                .containsAllEntriesOf(labels(kubeService.at("spec", "selector")));
        assertThat(pod.deployment().at("spec", "selector", "matchLabels")).isEqualTo(kubeService.at("spec", "selector"));
        JsonNode servicePort = kubeService.at("spec", "ports").get(0);
        assertThat(servicePort.path("port").asInt()).as("%s port", kubeService).isEqualTo(service.httpPort());
        assertThat(servicePort.path("targetPort").asText()).as("%s targetPort", kubeService).isEqualTo("http");

        KubeObject monitor = manifests.get("ServiceMonitor", name);
        assertThat(labels(kubeService.at("metadata", "labels"))).as("%s selects %s", monitor, kubeService)
                .containsAllEntriesOf(labels(monitor.at("spec", "selector", "matchLabels")));
        assertThat(monitor.at("spec", "endpoints")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.path("port").asText()).isEqualTo(servicePort.path("name").asText());
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        });
        assertThat(service.dependencies()).as("%s serves /q/metrics through its outbox module", name).contains("outbox");
        assertThat(ServiceModule.artifactIds(Repository.root().resolve("outbox/pom.xml")))
                .contains("quarkus-micrometer-registry-prometheus");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void probesAskTheHealthEndpointsTheServiceHas(Overlay overlay, String name) {
        ServicePod pod = ServicePod.of(Manifests.of(overlay), name);
        assertThat(pod.container().at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(pod.container().at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode httpGet = pod.container().path(probe).path("httpGet");
            if (!pod.container().path(probe).isMissingNode()) {
                assertThat(HEALTH_PATHS).as("%s %s path", name, probe).contains(httpGet.path("path").asText());
                assertThat(httpGet.path("port").asText()).as("%s %s port", name, probe).isEqualTo("http");
            }
        }
        // The health paths come from quarkus-smallrye-health, which each service has through outbox.
        assertThat(ServiceModule.named(name).dependencies()).contains("outbox");
        assertThat(ServiceModule.artifactIds(Repository.root().resolve("outbox/pom.xml")))
                .contains("quarkus-smallrye-health");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void theServiceReachesItsOwnDatabaseWithTheCredentialsOfItsOwner(Overlay overlay, String name) {
        Manifests manifests = Manifests.of(overlay);
        ServiceModule service = ServiceModule.named(name);
        ServicePod pod = ServicePod.of(manifests, name);
        KubeObject cluster = manifests.single("Cluster");

        Matcher url = JDBC_URL.matcher(pod.literal("QUARKUS_DATASOURCE_JDBC_URL"));
        assertThat(url.matches()).as("%s JDBC URL %s", name, pod.literal("QUARKUS_DATASOURCE_JDBC_URL")).isTrue();
        assertThat(url.group(1)).as("the read-write Service of Cluster %s", cluster.name()).isEqualTo(cluster.name() + "-rw");
        assertThat(url.group(2)).isEqualTo("5432");
        assertThat(url.group(3)).as("the database in %s's application.properties", name).isEqualTo(service.database());

        ServicePod.SecretKey username = pod.secretKey("QUARKUS_DATASOURCE_USERNAME");
        ServicePod.SecretKey password = pod.secretKey("QUARKUS_DATASOURCE_PASSWORD");
        assertThat(List.of(username.key(), password.key())).containsExactly("username", "password");
        assertThat(password.secret()).isEqualTo(username.secret());

        String owner = Databases.owner(cluster, service.database());
        assertThat(Databases.passwordSecret(cluster, owner)).as("the Secret that sets role %s's password", owner)
                .contains(username.secret());
        manifests.find("Secret", username.secret()).ifPresent(secret -> {
            assertThat(secret.at("type").asText()).isEqualTo("kubernetes.io/basic-auth");
            assertThat(secret.at("stringData", "username").asText()).as("%s username", secret).isEqualTo(owner);
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void theServiceLogsInToKafkaAsItsOwnUserAndTrustsTheClusterCa(Overlay overlay, String name) {
        Manifests manifests = Manifests.of(overlay);
        ServicePod pod = ServicePod.of(manifests, name);
        KubeObject kafka = manifests.single("Kafka");
        int listenerPort = kafka.at("spec", "kafka", "listeners").get(0).path("port").asInt();
        assertThat(pod.literal("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(kafka.name() + "-kafka-bootstrap:" + listenerPort);
        assertThat(pod.secretKey("KAFKA_SASL_JAAS_CONFIG"))
                .as("the Secret the User Operator writes for KafkaUser %s", name)
                .isEqualTo(new ServicePod.SecretKey(manifests.get("KafkaUser", name).name(), "sasl.jaas.config"));

        Path truststore = Path.of(pod.literal("KAFKA_SSL_TRUSTSTORE_LOCATION"));
        JsonNode volume = pod.volumeAt(truststore.getParent().toString())
                .orElseThrow(() -> new AssertionError(name + " mounts nothing at " + truststore.getParent()));
        assertThat(volume.path("secret").path("secretName").asText()).isEqualTo(kafka.name() + "-cluster-ca-cert");
        assertThat(volume.path("secret").path("items")).anySatisfy(item -> {
            assertThat(item.path("key").asText()).isEqualTo("ca.crt");
            assertThat(item.path("path").asText()).isEqualTo(truststore.getFileName().toString());
        });
    }

    /**
     * Where a module calls another service (the console's {@code twostep.<service>.url}, the release-controller's
     * {@code twostep.release.analyzer-url}), its default is that service on the developer's machine, which reaches
     * nothing in a pod: the pod names the service's in-cluster Service and port instead.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void theServicesAModuleCallsAreReachedThroughTheirInClusterServices(Overlay overlay, String name) {
        Manifests manifests = Manifests.of(overlay);
        ServiceModule service = ServiceModule.named(name);
        ServicePod pod = ServicePod.of(manifests, name);
        service.settings().forEach((setting, defaultValue) -> {
            Matcher local = LOCAL_URL.matcher(defaultValue);
            // Its own address (the console's public URL) is where people reach it, not a call.
            if (!local.matches() || Integer.parseInt(local.group(1)) == service.httpPort()) {
                return;
            }
            int port = Integer.parseInt(local.group(1));
            ServiceModule called = ServiceModule.ALL.stream().filter(s -> s.httpPort() == port).findFirst()
                    .orElseThrow(() -> new AssertionError(name + "'s " + setting + " defaults to " + defaultValue
                            + ", no Twostep service's port"));
            KubeObject kubeService = manifests.get("Service", called.name());
            assertThat(kubeService.at("spec", "ports").get(0).path("port").asInt()).isEqualTo(called.httpPort());
            assertThat(pod.environment().get(QuarkusConfig.environmentName(setting)))
                    .as("%s's %s (default %s) in %s", name, setting, defaultValue, overlay)
                    .isEqualTo(new ServicePod.Literal("http://" + kubeService.name() + ":" + called.httpPort()));
        });
    }

    /** A misspelt variable is ignored by Quarkus without a word: each TWOSTEP_ one the pod sets is a module setting. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void everyTwostepVariableThePodSetsIsASettingOfTheModule(Overlay overlay, String name) {
        ServicePod pod = ServicePod.of(Manifests.of(overlay), name);
        Set<String> settings = new HashSet<>();
        ServiceModule.named(name).settings().keySet()
                .forEach(setting -> settings.add(QuarkusConfig.environmentName(setting)));
        assertThat(pod.environment().keySet().stream().filter(variable -> variable.startsWith("TWOSTEP_")))
                .as("TWOSTEP_ variables of %s in %s that name no setting of its module", name, overlay)
                .allSatisfy(variable -> assertThat(settings).contains(variable));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void everySecretTheServiceReadsExists(Overlay overlay, String name) {
        Manifests manifests = Manifests.of(overlay);
        ServicePod pod = ServicePod.of(manifests, name);
        String kafka = manifests.single("Kafka").name();
        String readme = Repository.read("deploy/k8s/README.md");
        List<String> secrets = new ArrayList<>();
        pod.environment().values().forEach(value -> {
            if (value instanceof ServicePod.SecretKey key) {
                secrets.add(key.secret());
            }
        });
        pod.podSpec().path("volumes").forEach(volume -> {
            if (volume.has("secret")) {
                secrets.add(volume.path("secret").path("secretName").asText());
            }
        });
        assertThat(secrets).allSatisfy(secret -> assertThat(
                manifests.find("Secret", secret).isPresent()                      // rendered by the overlay
                        || manifests.find("KafkaUser", secret).isPresent()        // written by the User Operator
                        || secret.equals(kafka + "-cluster-ca-cert")              // written by the Cluster Operator
                        || overlay == Overlay.PROD && readme.contains("`" + secret + "`")) // created by hand, documented
                .as("%s in %s reads Secret %s, which nothing creates", name, overlay, secret).isTrue());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void thePodRunsLockedDownWithAWritableTmpAndBoundedResources(Overlay overlay, String name) {
        ServicePod pod = ServicePod.of(Manifests.of(overlay), name);
        JsonNode podSecurity = pod.podSpec().path("securityContext");
        JsonNode security = pod.container().path("securityContext");
        assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(podSecurity.path("runAsUser").asInt()).isNotZero();
        assertThat(podSecurity.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(KubeObject.texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(security.path("capabilities").has("add")).isFalse();
        assertThat(pod.volumeAt("/tmp")).as("%s: a writable /tmp", name)
                .hasValueSatisfying(volume -> assertThat(volume.has("emptyDir")).isTrue());
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertThat(pod.container().path("resources").path(kind).path(resource).asText())
                        .as("%s %s.%s", name, kind, resource).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("servicesInEachOverlay")
    void theImageIsTheDocumentedOneBuiltByTheServicesDockerfile(Overlay overlay, String name) throws Exception {
        ServicePod pod = ServicePod.of(Manifests.of(overlay), name);
        Matcher image = IMAGE.matcher(pod.container().path("image").asText());
        assertThat(image.matches()).as("%s image %s is %s<service>:<version>", name,
                pod.container().path("image").asText(), IMAGE_REPOSITORY).isTrue();
        assertThat(image.group(1)).isEqualTo(name);
        assertThat(Repository.read("deploy/k8s/README.md")).contains(IMAGE_REPOSITORY + "<service>:<version>");

        Path dockerfile = Repository.root().resolve(name).resolve("src/main/docker/Dockerfile.jvm");
        assertThat(dockerfile).exists();
        String instructions = Files.readString(dockerfile);
        assertThat(instructions).containsPattern("(?m)^EXPOSE " + ServiceModule.named(name).httpPort() + "$");
        assertThat(instructions).containsPattern("(?m)^USER " + pod.podSpec().at("/securityContext/runAsUser").asInt() + "$");
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new HashMap<>();
        labels.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }
}
