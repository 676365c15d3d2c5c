package dev.twostep.rolloutanalyzer.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** When the release-controller widened a rollout's audience to one step's percentage. */
@Entity
@Table(name = "rollout_step")
@IdClass(RolloutStepEntity.Key.class)
public class RolloutStepEntity {

    public record Key(String rolloutId, double percent) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "rollout_id")
    public String rolloutId;
    @Id
    public double percent;
    @Column(name = "started_at")
    public Instant startedAt;
    /** The FeatureReleased event that began the step: the cause of its decision. */
    @Column(name = "event_id")
    public String eventId;
}
