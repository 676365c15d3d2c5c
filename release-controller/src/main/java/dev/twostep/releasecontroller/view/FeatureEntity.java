package dev.twostep.releasecontroller.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "feature")
public class FeatureEntity {

    @Id
    @Column(name = "feature_key")
    public String featureKey;
    public String application;
    public String description;
    @Column(name = "defined_at")
    public Instant definedAt;
}
