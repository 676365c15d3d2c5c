package dev.twostep.deployorchestrator.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "environment")
public class EnvironmentEntity {

    @Id
    public String name;
    @Column(name = "promotes_from")
    public String promotesFrom;
    @Column(name = "requires_approval")
    public boolean requiresApproval;
    @Column(name = "auto_rollback_on_failure")
    public boolean autoRollbackOnFailure;
    @Column(name = "target_kind")
    public String targetKind;
    @Column(name = "target_namespace")
    public String targetNamespace;
    @Column(name = "target_deployment_name")
    public String targetDeploymentName;
    @Column(name = "target_container")
    public String targetContainer;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
