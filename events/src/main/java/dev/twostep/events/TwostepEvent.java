package dev.twostep.events;

/**
 * Every fact Twostep records. Each service's events form one sealed family below this root,
 * so a {@code switch} over a family is checked for exhaustiveness by the compiler.
 */
public sealed interface TwostepEvent
        permits BuildEvent, ArtefactEvent, DeploymentEvent, ReleaseEvent, AccessEvent, RolloutDecisionEvent, MetricEvent {

    /** The id of the aggregate this event belongs to; it is also the Kafka record key. */
    String aggregateId();
}
