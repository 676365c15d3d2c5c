package dev.twostep.console.notification;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetRulesTest {

    /** Names resolved from a table, so that no test depends on the machine's DNS. */
    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "metadata.internal", List.of("169.254.169.254"),
            "sneaky.example.com", List.of("93.184.216.34", "10.0.0.7"),
            "receiver.cluster.local", List.of("10.96.0.12"),
            "localhost", List.of("127.0.0.1", "::1"));

    private static TargetRules rules(boolean allowPrivate) {
        return new TargetRules(allowPrivate, host -> {
            List<String> addresses = DNS.get(host);
            if (addresses == null) {
                // literals resolve to themselves, as the system's resolver does
                if (host.matches("[0-9.]+") || host.contains(":")) {
                    return List.of(InetAddress.getByName(host));
                }
                throw new UnknownHostException(host);
            }
            return addresses.stream().map(TargetRulesTest::literal).toList();
        });
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void acceptsPublicHttpAndHttpsTargets() {
        assertThat(rules(false).refusal("https://hooks.example.com/services/T0/B0/x")).isEmpty();
        assertThat(rules(false).refusal("http://hooks.example.com:8080/notify?team=sre")).isEmpty();
        assertThat(rules(false).refusal("HTTPS://hooks.example.com/")).isEmpty();
    }

    @Test
    void refusesOtherSchemesAndMalformedUrls() {
        for (String url : List.of("ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com/",
                "javascript:alert(1)", "hooks.example.com/x", "http://hooks.example.com/a b", "http:///nohost")) {
            assertThat(rules(true).refusal(url)).as(url).isPresent();
        }
        assertThat(rules(true).refusal("ftp://hooks.example.com/")).hasValue("must be an absolute http or https URL");
        assertThat(rules(true).refusal(null)).hasValue("is required");
    }

    @Test
    void refusesOverLongUrlsAndCredentials() {
        String longUrl = "https://hooks.example.com/" + "a".repeat(TargetRules.MAX_URL_LENGTH);
        assertThat(rules(false).refusal(longUrl)).hasValue("must be at most 2048 characters");
        assertThat(rules(false).refusal("https://user:secret@hooks.example.com/"))
                .hasValue("must not carry user credentials");
    }

    @Test
    void refusesLinkLocalAndMetadataAddressesEvenWhenPrivateTargetsAreAllowed() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://metadata.internal/",
                "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://0.0.0.0:8080/", "http://224.0.0.1/",
                "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://255.255.255.255/")) {
            assertThat(rules(true).refusal(url)).as(url).hasValueSatisfying(rule ->
                    assertThat(rule).startsWith("must not resolve to a link-local, metadata"));
        }
    }

    @Test
    void refusesLoopbackAndPrivateRangesUnlessAllowed() {
        for (String url : List.of("http://localhost:9000/", "http://127.0.0.1/", "http://[::1]/", "http://10.1.2.3/",
                "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd12:3456::1]/",
                "http://receiver.cluster.local/", "http://[::ffff:127.0.0.1]/")) {
            assertThat(rules(false).refusal(url)).as(url).hasValueSatisfying(rule ->
                    assertThat(rule).contains("loopback or private").contains("allow-private-targets"));
            assertThat(rules(true).refusal(url)).as(url).isEmpty();
        }
    }

    @Test
    void refusesLoopbackWrittenAsOneNumber() {
        assertThat(rules(false).refusal("http://2130706433/")).isPresent();
    }

    @Test
    void refusesANameWhenAnyOfItsAddressesIsRefusedOrWhenItDoesNotResolve() {
        assertThat(rules(false).refusal("https://sneaky.example.com/")).hasValueSatisfying(rule ->
                assertThat(rule).contains("10.0.0.7"));
        assertThat(rules(false).refusal("https://nowhere.invalid/"))
                .hasValue("must name a host that resolves (nowhere.invalid does not)");
    }
}
