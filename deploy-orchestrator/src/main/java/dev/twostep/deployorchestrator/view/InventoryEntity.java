package dev.twostep.deployorchestrator.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** What runs of one application in one environment: its last succeeded deployment. */
@Entity
@Table(name = "inventory")
@IdClass(InventoryEntity.Key.class)
public class InventoryEntity {

    public record Key(String environment, String application) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    public String environment;
    @Id
    public String application;
    public String version;
    public String digest;
    @Column(name = "commit_sha")
    public String commit;
    @Column(name = "build_id")
    public String buildId;
    public Instant since;
    @Column(name = "deployment_id")
    public String deploymentId;
}
