package dev.twostep.events;

import java.time.Instant;

/** Metric input on {@link Topics#METRICS}, keyed by feature key so one feature's samples stay in order. */
public sealed interface MetricEvent extends TwostepEvent {

    enum Variant { on, off }

    /** Requests and errors seen in one window for one variant of one feature. */
    record MetricSampleRecorded(String sampleId, String application, String environment, String featureKey,
                                Variant variant, Instant windowStart, Instant windowEnd, long requests,
                                long errors) implements MetricEvent {
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
