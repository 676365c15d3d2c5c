package dev.twostep.releasecontroller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;

/** Where the rollout-analyzer is, which checks a plan's Prometheus guards before its rollout starts. */
@ConfigMapping(prefix = "twostep.release")
public interface AnalyzerConfig {

    /** The rollout-analyzer's base URL; in a pod, its in-cluster Service. */
    @WithDefault("http://127.0.0.1:8085")
    URI analyzerUrl();
}
