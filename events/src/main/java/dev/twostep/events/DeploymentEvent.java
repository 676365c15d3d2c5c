package dev.twostep.events;

/**
 * Facts published by the deploy-orchestrator on {@link Topics#DEPLOYMENT_EVENTS}. Most belong
 * to one deployment (keyed by its id); approvals and environment definitions have their own keys.
 */
public sealed interface DeploymentEvent extends TwostepEvent {

    /** Where an environment's deployments go. */
    record Target(String kind, String namespace, String deploymentNameTemplate, String container) {
        public Target {
            Require.text(kind, "target.kind");
        }
    }

    record EnvironmentDefined(String name, String promotesFrom, boolean requiresApproval,
                              boolean autoRollbackOnFailure, Target target) implements DeploymentEvent {
        public EnvironmentDefined {
            Require.text(name, "name");
            Require.present(target, "target");
        }

        @Override
        public String aggregateId() {
            return "environment:" + name;
        }
    }

    record DeploymentRequested(String deploymentId, String application, String version, String environment,
                               String digest, String commit, String buildId, String requestedBy)
            implements DeploymentEvent {
        public DeploymentRequested {
            Require.text(deploymentId, "deploymentId");
            Require.text(application, "application");
            Require.text(version, "version");
            Require.text(environment, "environment");
        }

        @Override
        public String aggregateId() {
            return deploymentId;
        }
    }

    record DeploymentStarted(String deploymentId, String application, String version, String environment,
                             String digest, String commit, String targetKind) implements DeploymentEvent {
        public DeploymentStarted {
            Require.text(deploymentId, "deploymentId");
        }

        @Override
        public String aggregateId() {
            return deploymentId;
        }
    }

    /** The version now runs; {@code replacedVersion} is what ran before, or null for a first deploy. */
    record DeploymentSucceeded(String deploymentId, String application, String version, String environment,
                               String digest, String commit, String replacedVersion) implements DeploymentEvent {
        public DeploymentSucceeded {
            Require.text(deploymentId, "deploymentId");
        }

        @Override
        public String aggregateId() {
            return deploymentId;
        }
    }

    record DeploymentFailed(String deploymentId, String application, String version, String environment,
                            String digest, String commit, String reason) implements DeploymentEvent {
        public DeploymentFailed {
            Require.text(deploymentId, "deploymentId");
            Require.text(reason, "reason");
        }

        @Override
        public String aggregateId() {
            return deploymentId;
        }
    }

    record DeploymentRolledBack(String deploymentId, String application, String environment, String fromVersion,
                                String toVersion, String reason) implements DeploymentEvent {
        public DeploymentRolledBack {
            Require.text(deploymentId, "deploymentId");
            Require.text(reason, "reason");
        }

        @Override
        public String aggregateId() {
            return deploymentId;
        }
    }

    record PromotionApproved(String application, String version, String environment, String approvedBy)
            implements DeploymentEvent {
        public PromotionApproved {
            Require.text(application, "application");
            Require.text(version, "version");
            Require.text(environment, "environment");
            Require.text(approvedBy, "approvedBy");
        }

        @Override
        public String aggregateId() {
            return "approval:" + environment + ":" + application + "@" + version;
        }
    }
}
