package dev.twostep.deployorchestrator.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** One deployment attempt in the read model. Never leaves the service: {@link DeploymentView} does. */
@Entity
@Table(name = "deployment")
public class DeploymentEntity {

    @Id
    public String id;
    public String application;
    public String version;
    public String environment;
    public String digest;
    public String uri;
    @Column(name = "commit_sha")
    public String commit;
    @Column(name = "build_id")
    public String buildId;
    @Column(name = "target_kind")
    public String targetKind;
    public String status;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** When a started deployment that has not finished counts as failed. */
    public Instant deadline;
    @Column(name = "replaced_version")
    public String replacedVersion;
    public String reason;
    @Column(name = "rollback_from_version")
    public String rollbackFromVersion;
    @Column(name = "rollback_reason")
    public String rollbackReason;
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "target_generation")
    public Long targetGeneration;
    /**
     * Every write of the row checks and raises it, so a writer that read an older row is refused
     * instead of writing that row back (a concluded deployment back to STARTED, say).
     */
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
