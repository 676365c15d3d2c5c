package dev.twostep.rolloutanalyzer.prometheus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An allowed prefix ends at a boundary, so that it cannot be extended into another host or port. */
class AllowedUrlsTest {

    @Test
    void aPrefixAllowsItselfAndWhatFollowsASlash() {
        assertThat(PrometheusEndpoints.allows("http://prom:9090", "http://prom:9090")).isTrue();
        assertThat(PrometheusEndpoints.allows("http://prom:9090", "http://prom:9090/prometheus")).isTrue();
        assertThat(PrometheusEndpoints.allows("http://prom:9090/", "http://prom:9090/x")).isTrue();
    }

    @Test
    void aPrefixIsNotExtendedIntoAnotherHostOrPort() {
        assertThat(PrometheusEndpoints.allows("http://prom", "http://prom.evil.example")).isFalse();
        assertThat(PrometheusEndpoints.allows("http://prom:9090", "http://prom:90901")).isFalse();
        assertThat(PrometheusEndpoints.allows("http://prom", "http://prom:9090")).isFalse();
        assertThat(PrometheusEndpoints.allows("", "http://prom:9090")).isFalse();
    }

    @Test
    void aPrefixEndingInAColonAllowsAnyPortOfItsHost() {
        assertThat(PrometheusEndpoints.allows("http://127.0.0.1:", "http://127.0.0.1:41234")).isTrue();
        assertThat(PrometheusEndpoints.allows("http://127.0.0.1:", "http://127.0.0.10:41234")).isFalse();
    }
}
