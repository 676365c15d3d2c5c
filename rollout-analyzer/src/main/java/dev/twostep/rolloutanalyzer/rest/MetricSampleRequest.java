package dev.twostep.rolloutanalyzer.rest;

import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.problems.ProblemException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/**
 * One window of requests and errors for one variant of a feature. {@code metric} names the guard the counts are
 * for (then {@code errors} counts that guard's bad requests: too slow, or not good); absent, they are for the
 * rollout's first guard.
 */
public record MetricSampleRequest(
        @NotBlank @Size(max = 200) String sampleId,
        @Size(max = 200) String application,
        @NotBlank @Size(max = 63) String environment,
        @NotBlank @Size(max = 200) String featureKey,
        @NotNull Variant variant,
        @NotNull Instant windowStart,
        @NotNull Instant windowEnd,
        @NotNull @PositiveOrZero Long requests,
        @NotNull @PositiveOrZero Long errors,
        @Size(max = 200) String metric) {

    MetricSampleRecorded toEvent(int index) {
        String at = "samples[" + index + "].";
        if (errors > requests) {
            throw ProblemException.invalid(at + "errors", "must not exceed requests");
        }
        if (windowEnd.isBefore(windowStart)) {
            throw ProblemException.invalid(at + "windowEnd", "must not be before windowStart");
        }
        return new MetricSampleRecorded(sampleId, application, environment, featureKey, variant, windowStart,
                windowEnd, requests, errors, metric);
    }
}
