package dev.twostep.releasecontroller.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The current audience of a feature in one environment. */
@Entity
@Table(name = "feature_release")
public class FeatureReleaseEntity {

    @Id
    public String id;
    @Column(name = "feature_key")
    public String featureKey;
    public String environment;
    public double percentage;
    /** A JSON array, read and written through {@link JsonText}. */
    public String users;
    @Column(name = "rollout_id")
    public String rolloutId;
    public long sequence;
    @Column(name = "changed_at")
    public Instant changedAt;

    public static String idOf(String featureKey, String environment) {
        return featureKey + "/" + environment;
    }
}
