package dev.twostep.deployorchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Optional;

/** How deployments are supervised, and where the Kubernetes target is. */
@ConfigMapping(prefix = "twostep.deploy")
public interface DeployConfig {

    /** How long an external target has to report a started deployment before it counts as failed. */
    @WithDefault("10m")
    @DurationMin(millis = 1, message = "must be a positive duration such as 10m")
    Duration externalTimeout();

    /** How often started deployments are checked; the supervisor's schedule reads it. */
    @WithDefault("2s")
    @DurationMin(millis = 1, message = "must be a positive duration such as 2s")
    Duration superviseEvery();

    Kubernetes kubernetes();

    interface Kubernetes {

        /** How long a rollout may take before the deployment counts as failed. */
        @WithDefault("10m")
        @DurationMin(millis = 1, message = "must be a positive duration such as 10m")
        Duration timeout();

        /** The API server; absent means in-cluster or kubeconfig, as kubectl would find it. */
        Optional<String> masterUrl();
    }
}
