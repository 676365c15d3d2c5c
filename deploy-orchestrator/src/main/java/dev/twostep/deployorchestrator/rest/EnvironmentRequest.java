package dev.twostep.deployorchestrator.rest;

import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.Target;
import dev.twostep.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** An environment's promotion rules and where its deployments go. */
public record EnvironmentRequest(
        @Size(max = 63) @Pattern(regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?", message = "must be a DNS label")
        String promotesFrom,
        // Required, since the strict reader refuses a missing primitive; @NotNull says so in the OpenAPI document.
        @NotNull boolean requiresApproval,
        @NotNull boolean autoRollbackOnFailure,
        @NotNull @Valid TargetRequest target) {

    public record TargetRequest(
            @NotBlank @Pattern(regexp = "kubernetes|external", message = "must be kubernetes or external") String kind,
            @Size(max = 63) @Pattern(regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?", message = "must be a DNS label")
            String namespace,
            @Size(max = 253) String deploymentNameTemplate,
            @Size(max = 63) String container) {
    }

    public EnvironmentDefined toEvent(String name) {
        if (!name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?") || name.length() > 63) {
            throw ProblemException.invalid("name", "must be a DNS label (lowercase letters, digits and -)");
        }
        if (target.kind().equals("kubernetes")) {
            if (target.namespace() == null || target.deploymentNameTemplate() == null || target.container() == null) {
                throw ProblemException.invalid("target",
                        "a kubernetes target needs namespace, deploymentNameTemplate and container");
            }
        }
        return new EnvironmentDefined(name, promotesFrom, requiresApproval, autoRollbackOnFailure,
                new Target(target.kind(), target.namespace(), target.deploymentNameTemplate(), target.container()));
    }
}
