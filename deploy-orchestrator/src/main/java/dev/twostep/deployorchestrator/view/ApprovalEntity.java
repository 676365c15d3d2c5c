package dev.twostep.deployorchestrator.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "approval")
@IdClass(ApprovalEntity.Key.class)
public class ApprovalEntity {

    public record Key(String environment, String application, String version, String approvedBy)
            implements Serializable {
        public Key() {
            this(null, null, null, null);
        }
    }

    @Id
    public String environment;
    @Id
    public String application;
    @Id
    public String version;
    @Id
    @Column(name = "approved_by")
    public String approvedBy;
    @Column(name = "approved_at")
    public Instant approvedAt;
}
