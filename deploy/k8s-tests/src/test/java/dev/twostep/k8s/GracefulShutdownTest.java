package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service's pod stops within its grace period: what it waits for once deleted, read from the code and the
 * configuration its pod starts with, added up and held against {@code terminationGracePeriodSeconds}
 * (deploy/k8s/README.md, "Shutdown").
 *
 * <p>The kubelet runs the preStop hook, then sends SIGTERM. Quarkus then lets running requests finish
 * ({@code quarkus.shutdown.timeout}), fires {@code ShutdownEvent} (the outbox relay stops), and destroys the
 * application's beans, when SmallRye stops the Kafka channels one after another. Each phase starts when the one
 * before it has ended, so their bounds add up.
 */
class GracefulShutdownTest {

    private static final String SHUTDOWN_TIMEOUT = "QUARKUS_SHUTDOWN_TIMEOUT";
    private static final String RELAY = "outbox/src/main/java/dev/twostep/outbox/OutboxRelay.java";
    private static final String RELAY_CONFIG = "outbox/src/main/java/dev/twostep/outbox/RelayConfig.java";
    private static final String RELAY_STOP = "void stop(@Observes ShutdownEvent";
    private static final Pattern RELAY_JOIN =
            Pattern.compile("worker\\.join\\(config\\.idlePoll\\(\\)\\.plusSeconds\\((\\d+)\\)\\)");
    private static final Pattern RELAY_CLOSE =
            Pattern.compile("producer\\.close\\(Duration\\.ofSeconds\\((\\d+)\\)\\)");
    private static final Pattern SHELL_SLEEP = Pattern.compile("(?:exec )?sleep (\\d+)");

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyDeploymentIsAServiceWhoseShutdownThisTestSizes(Overlay overlay) {
        assertThat(Manifests.of(overlay).ofKind("Deployment")).extracting(KubeObject::name)
                .as("Deployments of %s: a pod that is not a service module waits for something this test does not know",
                        overlay)
                .containsExactlyInAnyOrderElementsOf(ServiceModule.ALL.stream().map(ServiceModule::name).toList());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("dev.twostep.k8s.ServiceWiringTest#servicesInEachOverlay")
    void thePodLeavesItsEndpointsBeforeTheJvmStops(Overlay overlay, String name) {
        ServicePod pod = ServicePod.of(Manifests.of(overlay), name);
        assertThat(preStopSleep(pod)).as("%s preStop sleep", name).isPositive();
        assertThat(requestDrain(pod)).as("%s %s", name, SHUTDOWN_TIMEOUT).isPositive();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("dev.twostep.k8s.ServiceWiringTest#servicesInEachOverlay")
    void theGracePeriodCoversEverythingThePodWaitsForWhenItStops(Overlay overlay, String name) {
        ServiceModule service = ServiceModule.named(name);
        ServicePod pod = ServicePod.of(Manifests.of(overlay), name);
        QuarkusConfig config = QuarkusConfig.of(pod, service);
        Duration preStop = preStopSleep(pod);
        Duration requests = requestDrain(pod);
        Duration relay = relayStop(config);
        Duration channels = Duration.ZERO;
        for (ServiceModule.IncomingChannel channel : service.consumes()) {
            channels = channels.plus(channelStop(config, channel.channel()));
        }
        Duration total = preStop.plus(requests).plus(relay).plus(channels);
        assertThat(gracePeriod(pod))
                .as("%s in %s: terminationGracePeriodSeconds against preStop %s + requests %s + outbox relay %s"
                                + " + %d consumed channels %s = %s", name, overlay, seconds(preStop), seconds(requests),
                        seconds(relay), service.consumes().size(), seconds(channels), seconds(total))
                .isGreaterThan(total);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theReadmeArguesTheValuesTheManifestsSet(Overlay overlay) {
        Manifests manifests = Manifests.of(overlay);
        Set<List<String>> settings = new HashSet<>();
        for (ServiceModule service : ServiceModule.ALL) {
            ServicePod pod = ServicePod.of(manifests, service.name());
            settings.add(List.of("`terminationGracePeriodSeconds: " + gracePeriod(pod).toSeconds() + "`",
                    "`" + SHUTDOWN_TIMEOUT + "=" + pod.literal(SHUTDOWN_TIMEOUT) + "`",
                    "preStop `sleep` of " + seconds(preStopSleep(pod))));
        }
        assertThat(settings).as("%s: one graceful shutdown for every service, set in the base", overlay).hasSize(1);
        String readme = Repository.read("deploy/k8s/README.md");
        assertThat(readme).contains(settings.iterator().next());
        ServiceModule oneChannel = ServiceModule.named("artifact-registry");
        QuarkusConfig config = QuarkusConfig.of(ServicePod.of(manifests, oneChannel.name()), oneChannel);
        assertThat(readme).as("the relay's and a channel's bounds, as the code has them")
                .contains("| " + seconds(relayStop(config)) + " |")
                .contains("| " + seconds(channelStop(config, oneChannel.consumes().getFirst().channel())) + " per channel |");
    }

    /** How long the preStop hook sleeps: a {@code sleep} action, or a {@code sleep N} it runs in the container. */
    private static Duration preStopSleep(ServicePod pod) {
        JsonNode preStop = pod.container().path("lifecycle").path("preStop");
        if (preStop.path("sleep").path("seconds").isIntegralNumber()) {
            return Duration.ofSeconds(preStop.path("sleep").path("seconds").asLong());
        }
        List<String> command = KubeObject.texts(preStop.path("exec").path("command"));
        if (command.size() == 2 && command.getFirst().matches("(/usr)?(/bin/)?sleep")) {
            return Duration.ofSeconds(Long.parseLong(command.get(1)));
        }
        if (command.size() == 3 && command.getFirst().matches("(/usr)?(/bin/)?(ba)?sh") && command.get(1).equals("-c")) {
            Matcher sleep = SHELL_SLEEP.matcher(command.get(2).trim());
            if (sleep.matches()) {
                return Duration.ofSeconds(Long.parseLong(sleep.group(1)));
            }
        }
        throw new AssertionError(pod.deployment() + " has no preStop hook that sleeps (it has " + preStop + "): without"
                + " one the JVM stops accepting while the endpoints still send it requests");
    }

    /** Quarkus' wait for running requests; unset, Quarkus stops at once and cuts them off. */
    private static Duration requestDrain(ServicePod pod) {
        assertThat(pod.environment()).as("%s environment", pod.deployment()).containsKey(SHUTDOWN_TIMEOUT);
        return QuarkusConfig.duration(pod.literal(SHUTDOWN_TIMEOUT));
    }

    private static Duration gracePeriod(ServicePod pod) {
        JsonNode seconds = pod.podSpec().path("terminationGracePeriodSeconds");
        assertThat(seconds.isIntegralNumber())
                .as("%s sets terminationGracePeriodSeconds (Kubernetes' default 30 s is sized to nothing here)",
                        pod.deployment())
                .isTrue();
        return Duration.ofSeconds(seconds.asLong());
    }

    /**
     * What {@code OutboxRelay.stop} waits for, read from its code: the worker, for one idle poll plus N seconds, to
     * finish the batch in flight and save the cursor; then the producer's close, for M seconds.
     */
    static Duration relayStop(QuarkusConfig config) {
        String code = Repository.read(RELAY);
        Map<String, String> defaults = MappedSettings.defaults(Repository.read(RELAY_CONFIG));
        String enabled = config.value("twostep.outbox.relay.enabled")
                .orElseGet(() -> configDefault(defaults, "twostep.outbox.relay.enabled"));
        if (!Boolean.parseBoolean(enabled)) {
            return Duration.ZERO;
        }
        Duration idlePoll = QuarkusConfig.duration(config.value("twostep.outbox.relay.idle-poll")
                .orElseGet(() -> configDefault(defaults, "twostep.outbox.relay.idle-poll")));
        int start = code.indexOf(RELAY_STOP);
        int end = code.indexOf("\n    }\n", start);
        if (start < 0 || end < 0) {
            throw new AssertionError(RELAY + " has no " + RELAY_STOP + "...) any more: size the grace period"
                    + " (deploy/k8s/README.md, \"Shutdown\") for how the relay stops now, and teach this test to read it");
        }
        String stop = code.substring(start, end);
        return idlePoll.plusSeconds(onlyNumber(stop, RELAY_JOIN)).plusSeconds(onlyNumber(stop, RELAY_CLOSE));
    }

    /**
     * How long SmallRye Reactive Messaging's Kafka source (4.34, Quarkus 3.37: {@code KafkaSource.closeQuietly},
     * {@code KafkaThrottledLatestProcessedCommit.terminate}, {@code ReactiveKafkaConsumer.close}) may take to stop a
     * channel with {@code graceful-shutdown} on, its default: pause the assigned partitions (awaited at most
     * 2 × poll-timeout), sleep 2 × poll-timeout for records in flight, wait up to {@code auto.commit.interval.ms}
     * for the poll in flight to be acknowledged (the throttled commit strategy), commit, and close the consumer
     * within 2 × its close timeout ({@code default.api.timeout.ms}, 1 s unless set). The broker's round trips for
     * the commit and the dead-letter producer's close come on top, in the grace period's margin.
     */
    static Duration channelStop(QuarkusConfig config, String channel) {
        if (Boolean.parseBoolean(channelAttribute(config, channel, "enable.auto.commit").orElse("false"))
                || !channelAttribute(config, channel, "commit-strategy").orElse("throttled").equals("throttled")) {
            throw new AssertionError("channel " + channel + " does not use the throttled commit strategy, the only one"
                    + " whose shutdown this test knows: size the grace period for it and teach this test");
        }
        Duration close = millis(channelAttribute(config, channel, "default.api.timeout.ms").orElse("1000")).multipliedBy(2);
        if (!Boolean.parseBoolean(channelAttribute(config, channel, "graceful-shutdown").orElse("true"))) {
            return close;
        }
        Duration poll = millis(channelAttribute(config, channel, "poll-timeout").orElse("1000"));
        Duration unacknowledged = millis(channelAttribute(config, channel, "auto.commit.interval.ms").orElse("5000"));
        return poll.multipliedBy(2).plus(poll.multipliedBy(2)).plus(unacknowledged).plus(close);
    }

    /** A channel's attribute, else the connector's, else the Kafka client default every channel shares. */
    private static Optional<String> channelAttribute(QuarkusConfig config, String channel, String attribute) {
        return config.value("mp.messaging.incoming." + channel + "." + attribute)
                .or(() -> config.value("mp.messaging.connector.smallrye-kafka." + attribute))
                .or(() -> config.value("kafka." + attribute));
    }

    private static String configDefault(Map<String, String> defaults, String property) {
        if (!defaults.containsKey(property)) {
            throw new AssertionError(RELAY_CONFIG + " has no default for " + property);
        }
        return defaults.get(property);
    }

    private static long onlyNumber(String code, Pattern pattern) {
        Matcher matcher = pattern.matcher(code);
        if (!matcher.find()) {
            throw new AssertionError("OutboxRelay.stop no longer waits as " + pattern + " reads it: size the grace"
                    + " period (deploy/k8s/README.md, \"Shutdown\") for what it waits for now, and teach this test\n"
                    + code);
        }
        long number = Long.parseLong(matcher.group(1));
        if (matcher.find()) {
            throw new AssertionError("OutboxRelay.stop waits more than once as " + pattern + ":\n" + code);
        }
        return number;
    }

    private static Duration millis(String value) {
        return Duration.ofMillis(Long.parseLong(value.trim()));
    }

    /** 15.5 s, 20 s. */
    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }
}
