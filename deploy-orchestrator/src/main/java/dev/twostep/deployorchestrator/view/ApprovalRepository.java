package dev.twostep.deployorchestrator.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.stream.Collectors;

@ApplicationScoped
public class ApprovalRepository implements PanacheRepositoryBase<ApprovalEntity, ApprovalEntity.Key> {

    public Set<String> approvers(String environment, String application, String version) {
        return list("environment = ?1 and application = ?2 and version = ?3", environment, application, version)
                .stream().map(row -> row.approvedBy).collect(Collectors.toSet());
    }
}
