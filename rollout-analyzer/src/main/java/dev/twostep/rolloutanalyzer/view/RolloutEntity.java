package dev.twostep.rolloutanalyzer.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A rollout the analyzer follows, as the release-controller's events describe it. */
@Entity
@Table(name = "rollout")
public class RolloutEntity {

    public enum Status { ACTIVE, COMPLETED, ABORTED }

    @Id
    @Column(name = "rollout_id")
    public String rolloutId;
    @Column(name = "feature_key")
    public String featureKey;
    public String environment;
    /** The plan as JSON, exactly as the RolloutStarted event carried it. */
    public String plan;
    public String status;
    /** The version of this rollout's decision stream in the event store. */
    public int decisions;
    @Column(name = "last_decided_step")
    public int lastDecidedStep;
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(name = "started_at")
    public Instant startedAt;
    /** When the rollout completed or was aborted; null while it is active. */
    @Column(name = "ended_at")
    public Instant endedAt;
    /** The variant rolled out, for a rollout of a flag definition's named variant; null for an audience's. */
    public String treatment;
    /** The variant it is compared with (the definition's default); null for an audience's rollout. */
    public String control;
}
