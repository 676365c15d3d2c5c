package dev.twostep.events;

import dev.twostep.events.AccessEvent.ApiKeyIssued;
import dev.twostep.events.AccessEvent.ApiKeyRevoked;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRejected;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.ReleaseEvent.SegmentDefined;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;

import java.math.BigDecimal;
import java.util.stream.Collectors;

/**
 * What an event says, in one line a person reads: the CLI's {@code log} and the console's timeline show the same
 * words for the same event.
 */
public final class EventSummary {

    private EventSummary() {
    }

    public static String summary(TwostepEvent event) {
        return switch (event) {
            case BuildCompleted build -> "build " + build.buildId() + " " + build.outcome() + " at "
                    + shortCommit(build.commit()) + " of " + build.repository() + ": " + build.artefacts().stream()
                    .map(a -> a.name() + " " + a.version()).collect(Collectors.joining(", "));
            case ArtefactPublished published -> published.name() + " " + published.version() + " published from build "
                    + published.buildId() + ", commit " + shortCommit(published.commit())
                    + (published.features().isEmpty() ? "" : ", features " + String.join(", ", published.features()));
            case ArtefactRevoked revoked -> revoked.name() + " " + revoked.version() + " revoked: " + revoked.reason();
            case ArtefactRejected rejected -> rejected.name() + " " + rejected.version() + " rejected: digest "
                    + rejected.digest() + " differs from the published " + rejected.existingDigest();
            case EnvironmentDefined environment -> "environment " + environment.name()
                    + (environment.promotesFrom() == null ? "" : " promotes from " + environment.promotesFrom())
                    + (environment.requiresApproval() ? ", approval required" : "")
                    + ", target " + environment.target().kind();
            case DeploymentRequested requested -> requested.application() + " " + requested.version() + " -> "
                    + requested.environment() + " requested by " + requested.requestedBy();
            case DeploymentStarted started -> started.application() + " " + started.version() + " -> "
                    + started.environment() + " started (" + started.targetKind() + ")";
            case DeploymentSucceeded succeeded -> succeeded.application() + " " + succeeded.version() + " runs in "
                    + succeeded.environment() + ", commit " + shortCommit(succeeded.commit())
                    + (succeeded.replacedVersion() == null ? "" : ", replaced " + succeeded.replacedVersion());
            case DeploymentFailed failed -> failed.application() + " " + failed.version() + " -> " + failed.environment()
                    + " failed: " + failed.reason();
            case DeploymentRolledBack rolledBack -> rolledBack.application() + "@" + rolledBack.environment()
                    + " rolled back " + rolledBack.fromVersion() + " -> " + rolledBack.toVersion() + ": "
                    + rolledBack.reason();
            case PromotionApproved approved -> approved.application() + " " + approved.version() + " approved for "
                    + approved.environment() + " by " + approved.approvedBy();
            case FeatureDefined defined -> "feature " + defined.featureKey()
                    + (defined.application() == null ? "" : " of " + defined.application());
            case FeatureReleased released -> released.featureKey() + "@" + released.environment() + " "
                    + audience(released.previousAudience()) + " -> " + audience(released.audience()) + ": "
                    + released.reason();
            case FeatureDefinitionSet set -> set.featureKey() + "@" + set.environment() + " definition: default "
                    + set.definition().path("defaultVariant").asText() + ", " + set.definition().path("state").asText()
                    + (set.definition().hasNonNull("targeting") ? ", with targeting" : "") + ": " + set.reason();
            case SegmentDefined segment -> "segment " + segment.name() + "@" + segment.environment() + ": "
                    + segment.reason();
            case FeatureRolledBack rolledBack -> rolledBack.featureKey() + "@" + rolledBack.environment()
                    + " rolled back to nobody: " + rolledBack.reason();
            case RolloutStarted started -> "rollout of " + started.featureKey() + "@" + started.environment()
                    + " through " + started.plan().steps().stream().map(EventSummary::percent)
                    .collect(Collectors.joining(" -> ")) + ", guard +" + number(started.plan().guard().maxIncrease())
                    + "pp at " + percent(Math.round(started.plan().guard().confidence() * 10_000) / 100.0);
            case RolloutCompleted completed -> "rollout of " + completed.featureKey() + "@" + completed.environment()
                    + " completed";
            case RolloutAborted aborted -> "rollout of " + aborted.featureKey() + "@" + aborted.environment()
                    + " aborted: " + aborted.reason();
            case ApiKeyIssued issued -> "API key " + issued.keyId() + " \"" + issued.name() + "\" issued for "
                    + String.join(", ", issued.environments());
            case ApiKeyRevoked revoked -> "API key " + revoked.keyId() + " \"" + revoked.name() + "\" revoked";
            case RolloutDecisionEvent decision -> decision(decision);
            case MetricSampleRecorded sample -> sample.featureKey() + "@" + sample.environment() + " " + sample.variant()
                    + ": " + sample.errors() + (sample.metric() == null ? " errors" : " bad for guard " + sample.metric())
                    + " in " + sample.requests() + " requests";
        };
    }

    /**
     * For example {@code rollback one-click-reorder@prod step 1 (10%): treatment 2.1% of 12,034 vs control
     * 1.0% of 98,011, +1.10pp, lower bound +0.62pp > 0.5pp at 95%}. With several guards the summary begins with
     * the guard that decided ({@code guard slow-checkout: ...}) and ends with the dry-run guards' verdicts; a hold
     * ends with what the step still needs ({@code needs about 2,400 more requests, 40 min at the current 1 req/s}).
     */
    public static String decision(RolloutDecisionEvent decision) {
        record Head(String verb, String feature, String environment, double from) {
        }
        Head head = switch (decision) {
            case RolloutAdvanceDecided advance -> new Head("advance", advance.featureKey(), advance.environment(),
                    advance.fromPercent());
            case RolloutHoldDecided hold -> new Head("hold", hold.featureKey(), hold.environment(), hold.fromPercent());
            case RolloutRollbackDecided rollback -> new Head("rollback", rollback.featureKey(), rollback.environment(),
                    rollback.fromPercent());
        };
        return head.verb() + " " + head.feature() + "@" + head.environment() + " step " + decision.step() + " ("
                + percent(head.from()) + "): " + decision.evidence().summary();
    }

    private static String audience(Audience audience) {
        if (audience == null || (audience.percentage() == 0 && audience.users().isEmpty())) {
            return "nobody";
        }
        String share = audience.percentage() == 100 ? "everyone" : percent(audience.percentage());
        return audience.users().isEmpty() ? share : share + " + " + audience.users().size() + " users";
    }

    private static String percent(double value) {
        return number(value) + "%";
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String shortCommit(String commit) {
        return commit == null ? "?" : commit.substring(0, Math.min(7, commit.length()));
    }

}
