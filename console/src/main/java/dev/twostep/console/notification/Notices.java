package dev.twostep.console.notification;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.EventSummary;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.TwostepEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.cloudevents.core.builder.CloudEventBuilder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which notices a consumed event gives, and their one-line summaries: a pure function of the event and, for a
 * successful deployment, of the environments that promote from its environment and require an approval.
 */
public final class Notices {

    /** Long enough for a decision's evidence and a hold's forecast; a reason beyond it is cut. */
    private static final int MAX_SUMMARY = 600;

    private Notices() {
    }

    /** The data of a derived {@link NotificationTypes#APPROVAL_NEEDED} event. */
    public record ApprovalNeeded(String application, String version, String environment, String promotesFrom,
                                 String digest, String commit, String deploymentId) {
    }

    /** Whether an event of this kind can give a notice at all, so that others cost nothing. */
    public static boolean mayNotify(TwostepEvent data) {
        return data instanceof DeploymentSucceeded || data instanceof DeploymentFailed
                || data instanceof DeploymentRolledBack || data instanceof PromotionApproved
                || data instanceof RolloutHoldDecided || data instanceof RolloutRollbackDecided
                || data instanceof RolloutAborted || data instanceof RolloutCompleted
                || data instanceof FeatureRolledBack;
    }

    /**
     * The notices of one event.
     *
     * @param approvalEnvironments for a successful deployment: the environments that promote from its environment
     *                             and require an approval (each gives an approval-needed notice); ignored otherwise
     */
    public static List<Notice> of(EventEnvelope event, List<String> approvalEnvironments) {
        TwostepEvent data = event.data();
        if (!mayNotify(data)) {
            return List.of();
        }
        List<Notice> notices = new ArrayList<>();
        notices.add(new Notice(CloudEventCodec.toCloudEvent(event), environmentOf(data), summaryOf(event),
                event.correlationId()));
        if (data instanceof DeploymentSucceeded done) {
            for (String next : approvalEnvironments) {
                notices.add(approvalNeeded(event, done, next));
            }
        }
        return notices;
    }

    private static Notice approvalNeeded(EventEnvelope cause, DeploymentSucceeded done, String environment) {
        ApprovalNeeded needed = new ApprovalNeeded(done.application(), done.version(), environment,
                done.environment(), done.digest(), done.commit(), done.deploymentId());
        // One id per (success, environment), the same on every replica and every redelivery, so that it dedups.
        UUID id = UUID.nameUUIDFromBytes((NotificationTypes.APPROVAL_NEEDED + ":" + cause.id() + ":" + environment)
                .getBytes(StandardCharsets.UTF_8));
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(id.toString())
                .withSource(URI.create("/twostep/console"))
                .withType(NotificationTypes.APPROVAL_NEEDED)
                .withSubject("approval:" + environment + ":" + done.application() + "@" + done.version())
                .withTime(cause.time().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(json(needed))
                .withExtension(CloudEventCodec.CAUSATION_ID, cause.id().toString());
        if (cause.correlationId() != null) {
            builder.withExtension(CloudEventCodec.CORRELATION_ID, cause.correlationId());
        }
        String summary = "approval needed: " + done.application() + " " + done.version() + " runs in "
                + done.environment() + " and goes on to " + environment + " once someone other than its deployer"
                + " approves it";
        return new Notice(builder.build(), environment, summary, cause.correlationId());
    }

    /** The environment an event concerns. */
    static String environmentOf(TwostepEvent data) {
        return switch (data) {
            case DeploymentSucceeded done -> done.environment();
            case DeploymentFailed failed -> failed.environment();
            case DeploymentRolledBack back -> back.environment();
            case PromotionApproved approved -> approved.environment();
            case RolloutHoldDecided hold -> hold.environment();
            case RolloutRollbackDecided back -> back.environment();
            case RolloutAborted aborted -> aborted.environment();
            case RolloutCompleted completed -> completed.environment();
            case FeatureRolledBack back -> back.environment();
            default -> null;
        };
    }

    /** One line a person reads first: the same words as the timeline and {@code ./twostep log}, shortened. */
    static String summaryOf(EventEnvelope event) {
        String line = oneLine(EventSummary.summary(event.data()));
        return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY - 1) + "…";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static byte[] json(Object value) {
        try {
            return EventJson.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }
}
