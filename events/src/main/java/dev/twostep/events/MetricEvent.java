package dev.twostep.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** Metric input on {@link Topics#METRICS}, keyed by feature key so one feature's samples stay in order. */
public sealed interface MetricEvent extends TwostepEvent {

    enum Variant { on, off }

    /**
     * Requests and errors seen in one window for one variant of one feature.
     *
     * @param metric the guard these counts are for, by its name in the plan ({@code errors} then counts the bad
     *               requests: too slow for a latency guard, not good for a ratio); absent means the plan's first
     *               guard, the one error-rate guard of every plan from before guards had names. Left out of the
     *               JSON when absent, so samples from before it decode and encode unchanged.
     */
    record MetricSampleRecorded(String sampleId, String application, String environment, String featureKey,
                                Variant variant, Instant windowStart, Instant windowEnd, long requests,
                                long errors, @JsonInclude(JsonInclude.Include.NON_NULL) String metric)
            implements MetricEvent {

        public MetricSampleRecorded(String sampleId, String application, String environment, String featureKey,
                                    Variant variant, Instant windowStart, Instant windowEnd, long requests,
                                    long errors) {
            this(sampleId, application, environment, featureKey, variant, windowStart, windowEnd, requests, errors,
                    null);
        }

        public MetricSampleRecorded {
            Require.text(sampleId, "sampleId");
            Require.text(environment, "environment");
            Require.text(featureKey, "featureKey");
            Require.present(variant, "variant");
            Require.present(windowStart, "windowStart");
            Require.present(windowEnd, "windowEnd");
            Require.notNegative(requests, "requests");
            Require.notNegative(errors, "errors");
            if (errors > requests) {
                throw new IllegalArgumentException("errors must not exceed requests");
            }
            if (windowEnd.isBefore(windowStart)) {
                throw new IllegalArgumentException("windowEnd must not be before windowStart");
            }
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }
}
