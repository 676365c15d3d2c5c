package dev.twostep.k8s;

import dev.twostep.events.Topics;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's own code says about how it runs: read from its Maven module, so the manifests are
 * checked against the code rather than against a second copy of the same facts.
 *
 * @param name             the module and service name (twostep.service.name)
 * @param publishes        the topic its events go to (DESIGN.md: one topic per service); none for the console, the
 *                         read side, which runs on Kubernetes like a service
 * @param httpPort         quarkus.http.port
 * @param database         the database named in quarkus.datasource.jdbc.url
 * @param consumes         its Kafka channels (mp.messaging.incoming.*)
 */
record ServiceModule(String name, Optional<String> publishes, int httpPort, String database,
                     List<IncomingChannel> consumes) {

    /** One consumed Kafka channel. */
    record IncomingChannel(String channel, String topic, String groupId, String deadLetterTopic) {
    }

    private static final Pattern INCOMING_TOPIC = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.topic");
    private static final Pattern JDBC_DATABASE = Pattern.compile("jdbc:postgresql://[^/]+/([A-Za-z0-9_]+)");
    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");
    private static final Pattern CONFIG_PROPERTY =
            Pattern.compile("@ConfigProperty\\(name = \"([^\"]+)\"(?:, defaultValue = \"([^\"]*)\")?");

    static final List<ServiceModule> ALL = List.of(
            read("build-service", Optional.of(Topics.BUILD_EVENTS)),
            read("artifact-registry", Optional.of(Topics.ARTEFACT_EVENTS)),
            read("deploy-orchestrator", Optional.of(Topics.DEPLOYMENT_EVENTS)),
            read("release-controller", Optional.of(Topics.RELEASE_EVENTS)),
            read("rollout-analyzer", Optional.of(Topics.ROLLOUT_EVENTS)),
            read("console", Optional.empty()));

    Path directory() {
        return Repository.root().resolve(name);
    }

    private static ServiceModule read(String name, Optional<String> publishes) {
        Properties properties = properties(name);
        if (!name.equals(properties.getProperty("twostep.service.name"))) {
            throw new IllegalStateException(name + " names itself " + properties.getProperty("twostep.service.name"));
        }
        Matcher database = JDBC_DATABASE.matcher(properties.getProperty("quarkus.datasource.jdbc.url", ""));
        if (!database.find()) {
            throw new IllegalStateException(name + " has no PostgreSQL database in quarkus.datasource.jdbc.url");
        }
        List<IncomingChannel> consumes = new ArrayList<>();
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            Matcher topic = INCOMING_TOPIC.matcher(key);
            if (topic.matches()) {
                String prefix = "mp.messaging.incoming." + topic.group(1) + ".";
                consumes.add(new IncomingChannel(topic.group(1), properties.getProperty(key),
                        properties.getProperty(prefix + "group.id"),
                        properties.getProperty(prefix + "dead-letter-queue.topic")));
            }
        }
        return new ServiceModule(name, publishes, Integer.parseInt(properties.getProperty("quarkus.http.port")),
                database.group(1), List.copyOf(consumes));
    }

    /** Its src/main/resources/application.properties, as written (profiles and all). */
    Properties properties() {
        return properties(name);
    }

    private static Properties properties(String name) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repository.read(name + "/src/main/resources/application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /**
     * Every setting it reads, with its default ("" where it has none): the keys of its application.properties (a
     * profile's key counts as the plain one), the {@code @ConfigProperty} names its code declares, and the keys its
     * {@code @ConfigMapping} interfaces declare with a default ({@link MappedSettings}).
     */
    Map<String, String> settings() {
        Map<String, String> settings = new TreeMap<>();
        Properties properties = properties();
        for (String key : properties.stringPropertyNames()) {
            settings.putIfAbsent(PROFILE.matcher(key).replaceFirst(""), properties.getProperty(key));
        }
        for (String key : properties.stringPropertyNames()) {
            if (!PROFILE.matcher(key).find()) {
                settings.put(key, properties.getProperty(key));
            }
        }
        try (Stream<Path> sources = Files.walk(directory().resolve("src/main/java"))) {
            for (Path source : sources.filter(file -> file.toString().endsWith(".java")).toList()) {
                String code = Files.readString(source);
                Matcher declared = CONFIG_PROPERTY.matcher(code);
                while (declared.find()) {
                    settings.putIfAbsent(declared.group(1), declared.group(2) == null ? "" : declared.group(2));
                }
                MappedSettings.defaults(code).forEach(settings::putIfAbsent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return settings;
    }

    /** The Maven artifactIds this module depends on directly. */
    List<String> dependencies() {
        return artifactIds(directory().resolve("pom.xml"));
    }

    static List<String> artifactIds(Path pom) {
        try {
            String xml = Files.readString(pom);
            String dependencies = xml.substring(xml.indexOf("<dependencies>"), xml.indexOf("</dependencies>"));
            Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(dependencies);
            List<String> ids = new ArrayList<>();
            while (artifact.find()) {
                ids.add(artifact.group(1));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServiceModule named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no service module " + name));
    }
}
