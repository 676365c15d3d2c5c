package dev.twostep.events;

import java.util.List;

/** Kafka topic names. Event topics are the log of record and are kept forever. */
public final class Topics {

    public static final String BUILD_EVENTS = "twostep.build.events";
    public static final String ARTEFACT_EVENTS = "twostep.artefact.events";
    public static final String DEPLOYMENT_EVENTS = "twostep.deployment.events";
    public static final String RELEASE_EVENTS = "twostep.release.events";
    public static final String ROLLOUT_EVENTS = "twostep.rollout.events";
    public static final String METRICS = "twostep.metrics";

    /** Every topic above; each has a dead-letter companion, see {@link #deadLetter(String)}. */
    public static final List<String> ALL =
            List.of(BUILD_EVENTS, ARTEFACT_EVENTS, DEPLOYMENT_EVENTS, RELEASE_EVENTS, ROLLOUT_EVENTS, METRICS);

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /** The topic a family of events is published on. */
    public static String of(TwostepEvent event) {
        return of(event.getClass());
    }

    public static String of(Class<? extends TwostepEvent> eventClass) {
        if (BuildEvent.class.isAssignableFrom(eventClass)) {
            return BUILD_EVENTS;
        } else if (ArtefactEvent.class.isAssignableFrom(eventClass)) {
            return ARTEFACT_EVENTS;
        } else if (DeploymentEvent.class.isAssignableFrom(eventClass)) {
            return DEPLOYMENT_EVENTS;
        } else if (ReleaseEvent.class.isAssignableFrom(eventClass) || AccessEvent.class.isAssignableFrom(eventClass)) {
            return RELEASE_EVENTS;
        } else if (RolloutDecisionEvent.class.isAssignableFrom(eventClass)) {
            return ROLLOUT_EVENTS;
        } else if (MetricEvent.class.isAssignableFrom(eventClass)) {
            return METRICS;
        }
        throw new IllegalArgumentException(eventClass + " belongs to no event family");
    }
}
