package dev.twostep.console.rest;

import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.Target;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A scripted history of one application in one environment, on 2026-11-20, with unique names so that tests sharing a
 * broker do not see each other's figures. The answers for the window 10:00-12:00, by hand:
 * <pre>
 * 08:00 build 1.3 (no features), environment defined   10:00 build 1.4 (feature f)
 * 08:50 d0 1.3 requested, 09:00 succeeds (context)
 * 10:10 d1 1.4 requested, 10:20 succeeds        deploy lead 1,200 s
 * 10:25 f on for 10 % (a person)                first exposure 1,500 s
 * 10:30 rollout r of f starts at 50 %
 * 10:40 decision: advance; f at 100 %; r completed   everyone 2,400 s
 * 11:10 d2 rollback to 1.3 requested, 11:12 done   d1 rolled back (deploy CFR 1/1); restore 120 s
 * 11:12:05 f off: its code left                  release CFR 1 of 2 (10 % by hand, rollout r)
 * </pre>
 */
final class Story extends ScriptedHistory {

    final String feature = "feat-" + UUID.randomUUID().toString().substring(0, 8);
    final String rollout = "ro-" + UUID.randomUUID();

    Story() {
        build("08:00", "1.3", List.of());
        build("10:00", "1.4", List.of(feature));
        emit("08:00", "deploy-orchestrator", "environment:" + environment, new EnvironmentDefined(environment, null,
                false, true, new Target("external", null, null, null)));
        deploy("08:50", "09:00", "d0-" + application, "1.3", null);
        deploy("10:10", "10:20", "d1-" + application, "1.4", "1.3");
        emit("10:25", "release-controller", feature, new FeatureReleased(feature, environment, new Audience(10, List.of()),
                Audience.NOBODY, "try it", null, null));
        Plan plan = new Plan(List.of(50.0, 100.0), 100, Duration.ofMinutes(1), Duration.ofMinutes(30),
                new Guard("errorRate", 0.5, 0.95));
        emit("10:30", "release-controller", rollout, new RolloutStarted(rollout, feature, environment, plan));
        emit("10:30", "release-controller", feature, new FeatureReleased(feature, environment,
                new Audience(50, List.of()), new Audience(10, List.of()), "rollout starts", rollout, null));
        emit("10:40", "rollout-analyzer", rollout, new RolloutAdvanceDecided("dec-" + rollout, rollout, feature,
                environment, 1, 50, 100, 1, new Evidence(null, new Counts(1000, 10), new Counts(1000, 9), "msprt",
                -0.1, 0.5, "concurrent", "healthy")));
        emit("10:40", "release-controller", feature, new FeatureReleased(feature, environment,
                new Audience(100, List.of()), new Audience(50, List.of()), "rollout advances", rollout, null));
        emit("10:40", "release-controller", rollout, new RolloutCompleted(rollout, feature, environment));
        String d2 = "d2-" + application;
        emit("11:10", "deploy-orchestrator", d2, new DeploymentRequested(d2, application, "1.3", environment,
                "sha256:13", "c13", "b13-" + application, "sre-sam"));
        emit("11:12", "deploy-orchestrator", d2, new DeploymentSucceeded(d2, application, "1.3", environment,
                "sha256:13", "c13", "1.4"));
        emit("11:12", "deploy-orchestrator", d2, new DeploymentRolledBack(d2, application, environment, "1.4", "1.3",
                "errors after deploy"));
        emit("11:12:05", "release-controller", feature, new FeatureRolledBack(feature, environment,
                "code no longer deployed", null, new Audience(100, List.of())));
    }
}
