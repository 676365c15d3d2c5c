package dev.twostep.releasecontroller.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "rollout")
public class RolloutEntity {

    public static final String ACTIVE = "ACTIVE";
    public static final String COMPLETED = "COMPLETED";
    public static final String ABORTED = "ABORTED";

    @Id
    @Column(name = "rollout_id")
    public String rolloutId;
    @Column(name = "feature_key")
    public String featureKey;
    public String environment;
    /** The plan as JSON, read and written through {@link JsonText}. */
    public String plan;
    public String status;
    public int step;
    public double percentage;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;
    @Column(name = "end_reason")
    public String endReason;
    /** The variant a rollout of a flag definition moves; null for a rollout of an audience. */
    public String treatment;
    /** The variant it is compared with, the definition's default; null for a rollout of an audience. */
    public String control;
}
