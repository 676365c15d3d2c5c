package dev.twostep.releasecontroller.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The current audience of a feature in one environment, or its flagd flag definition there. */
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
    /** A flagd flag definition (JSON) when one replaced the audience; null otherwise. */
    public String definition;
    /** A JSON object: the segments the definition references, as they stood when it was written. */
    public String segments;
    /** The name of the bucketing it was released with, as its event names it. */
    public String bucketing;
    @Column(name = "serves_non_default")
    public boolean servesNonDefault;
    @Column(name = "changed_at")
    public Instant changedAt;

    public static String idOf(String featureKey, String environment) {
        return featureKey + "/" + environment;
    }
}
