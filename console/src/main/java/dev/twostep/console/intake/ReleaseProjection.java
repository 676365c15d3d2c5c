package dev.twostep.console.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.twostep.console.delivery.DefinitionReach;
import dev.twostep.console.delivery.Fact;
import dev.twostep.console.suspects.Change.Kind;
import dev.twostep.events.AccessEvent.ApiKeyIssued;
import dev.twostep.events.AccessEvent.ApiKeyRevoked;
import dev.twostep.events.EventJson;
import dev.twostep.events.EventSummary;
import dev.twostep.events.EventTypes;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.TwostepEvent;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * What the release side's events tell the console: release facts (audiences, definitions, rollouts, rollbacks and
 * rollback decisions), the environment's changes, and API keys. Two writes look back at a feature's earlier events
 * (a rollout step's previous share, the definition that stood before one set by hand), which share its partition and
 * so are applied before it, live and in a rebuild.
 */
final class ReleaseProjection {

    private static final String DEFINITION_SET_TYPE = EventTypes.typeOf(FeatureDefinitionSet.class);
    /** What stood before an event of a feature in an environment: a short walk back along {@code event_log_feature}. */
    private static final String STANDING_BEFORE = "SELECT type, data FROM event_log WHERE feature_key = ?"
            + " AND environment = ? AND type IN ('" + EventTypes.typeOf(FeatureReleased.class) + "', '"
            + EventTypes.typeOf(FeatureRolledBack.class) + "', '"
            + DEFINITION_SET_TYPE + "') AND (at, event_id) < (?, ?) ORDER BY at DESC, event_id DESC LIMIT 1";

    private final ReadModelRows rows;

    ReleaseProjection(ReadModelRows rows) {
        this.rows = rows;
    }

    /** Writes what {@code data} tells; an event of another kind, or one the console does not use, writes nothing. */
    void write(TwostepEvent data) throws SQLException {
        if (data instanceof FeatureDefined defined && defined.application() != null) {
            rows.featureOf(defined.application(), defined.featureKey());
        } else if (data instanceof FeatureReleased released) {
            released(released);
        } else if (data instanceof FeatureDefinitionSet set) {
            definitionSet(set);
        } else if (data instanceof FeatureRolledBack back) {
            rolledBack(back);
        } else if (data instanceof RolloutStarted started) {
            rows.releaseFact("rollout.started", started.featureKey(), started.environment(), null, null, null, null,
                    started.rolloutId(), null, null);
            rows.change(started.environment(), Kind.ROLLOUT_STARTED, null, started.featureKey(), null, null, null,
                    null, null, false, started.rolloutId(), null, "rollout " + started.rolloutId() + " of "
                            + started.featureKey() + " started: " + steps(started.plan().steps()));
        } else if (data instanceof RolloutCompleted completed && completed.environment() != null) {
            rows.releaseFact("rollout.completed", completed.featureKey(), completed.environment(), null, null, null,
                    null, completed.rolloutId(), null, null);
            rows.change(completed.environment(), Kind.ROLLOUT_COMPLETED, null, completed.featureKey(), null, null,
                    null, null, null, false, completed.rolloutId(), null,
                    "rollout " + completed.rolloutId() + " of " + completed.featureKey() + " completed");
        } else if (data instanceof RolloutAborted aborted && aborted.environment() != null) {
            rows.change(aborted.environment(), Kind.ROLLOUT_ABORTED, null, aborted.featureKey(), null, null, null,
                    null, null, false, aborted.rolloutId(), aborted.reason(),
                    "rollout " + aborted.rolloutId() + " of " + aborted.featureKey() + " aborted: " + aborted.reason());
        } else if (data instanceof RolloutDecisionEvent decision && environmentOf(decision) != null) {
            decided(decision);
        } else if (data instanceof ApiKeyIssued issued) {
            for (String environment : issued.environments()) {
                rows.change(environment, Kind.API_KEY_ISSUED, null, null, null, null, null, null, null, false, null,
                        null, "API key " + issued.name() + " (" + issued.keyId() + ") issued for "
                                + String.join(", ", issued.environments()));
            }
        } else if (data instanceof ApiKeyRevoked revoked) {
            // A revocation names no environments; it is logged under EVERY_ENVIRONMENT, which every environment's
            // suspects include, rather than under the environments known when it arrived (an order-dependent set).
            rows.change(Projection.EVERY_ENVIRONMENT, Kind.API_KEY_REVOKED, null, null, null, null, null, null, null,
                    false, null, null, "API key " + revoked.name() + " (" + revoked.keyId() + ") revoked");
        }
    }

    private void released(FeatureReleased released) throws SQLException {
        Audience after = released.audience();
        Audience before = released.previousAudience() == null ? Audience.NOBODY : released.previousAudience();
        rows.releaseFact("release.audience", released.featureKey(), released.environment(), after.percentage(),
                after.users().size(), before.percentage(), before.users().size(), released.rolloutId(), null,
                released.reason());
        rows.change(released.environment(), released.rolloutId() == null ? Kind.AUDIENCE_CHANGED : Kind.ROLLOUT_STEP,
                null, released.featureKey(), null, null, null, after.percentage(), before.percentage(),
                !after.users().equals(before.users()), released.rolloutId(), released.reason(),
                released.featureKey() + " " + audience(before) + " -> " + audience(after));
    }

    private void rolledBack(FeatureRolledBack back) throws SQLException {
        Audience before = back.previousAudience() == null ? Audience.NOBODY : back.previousAudience();
        rows.releaseFact("release.rolledback", back.featureKey(), back.environment(), null, null, before.percentage(),
                before.users().size(), null, back.decisionId(), back.reason());
        String cause = back.decisionId() != null ? "by decision " + back.decisionId()
                : Fact.FeatureRolledBack.CODE_GONE.equals(back.reason()) ? "because its code left" : "by hand";
        rows.change(back.environment(), Kind.FEATURE_ROLLED_BACK, null, back.featureKey(), null, null, null,
                before.percentage(), null, !before.users().isEmpty(), null, back.reason(),
                back.featureKey() + " rolled back " + cause + " (had " + audience(before) + ")");
    }

    /**
     * A flag definition: a step of a named variant's rollout moves that variant's share (from the rollout's
     * previous step, which only grows), and is scored like an audience step; any other definition changes whom
     * its rules reach, by a share the event does not say. One set by a person (no rollout) is also a release fact
     * when it can serve a variant other than its default and does not serve as the one that stood before it in
     * the environment did ({@link DefinitionReach}): a definition that only switches off is not a release, nor is
     * one written again because a segment it references changed.
     */
    private void definitionSet(FeatureDefinitionSet set) throws SQLException {
        if (set.stepPercentage() != null) {
            Double before = previousStep(set.rolloutId());
            rows.releaseFact("release.audience", set.featureKey(), set.environment(), set.stepPercentage(), 0, before,
                    0, set.rolloutId(), null, set.reason());
            rows.change(set.environment(), Kind.ROLLOUT_STEP, null, set.featureKey(), null, null, null,
                    set.stepPercentage(), before, false, set.rolloutId(), set.reason(), set.featureKey() + " "
                            + trim(before == null ? 0 : before) + "% -> " + trim(set.stepPercentage()) + "%: "
                            + set.reason());
        } else {
            rows.change(set.environment(), Kind.DEFINITION_SET, null, set.featureKey(), null, null, null, null, null,
                    false, set.rolloutId(), set.reason(), EventSummary.summary(set));
            DefinitionReach reach = DefinitionReach.of(set.definition());
            if (set.rolloutId() == null && reach != DefinitionReach.DEFAULT_ONLY && !servesAsBefore(set)) {
                rows.releaseFact("release.definition", set.featureKey(), set.environment(),
                        reach == DefinitionReach.EVERYONE ? 100.0 : null, null, null, null, null, null,
                        set.reason());
            }
        }
    }

    /**
     * Whether what stood in the environment just before this definition (the feature's latest audience, rollback
     * or definition there, by time) was a definition that serves alike. The events of one feature share its
     * partition, so the one before has been applied already, live and in a rebuild.
     */
    private boolean servesAsBefore(FeatureDefinitionSet set) throws SQLException {
        try (PreparedStatement query = rows.connection().prepareStatement(STANDING_BEFORE)) {
            query.setString(1, set.featureKey());
            query.setString(2, set.environment());
            query.setObject(3, rows.at());
            query.setObject(4, rows.event().id());
            try (ResultSet found = query.executeQuery()) {
                return found.next() && found.getString(1).equals(DEFINITION_SET_TYPE) && DefinitionReach.servesAlike(
                        EventJson.mapper().readTree(found.getString(2)).path("definition"), set.definition());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the event log holds data that is not JSON", e);
        }
    }

    private Double previousStep(String rolloutId) throws SQLException {
        try (PreparedStatement query = rows.connection().prepareStatement("SELECT max(percentage) FROM delivery_fact"
                + " WHERE rollout_id = ? AND kind = 'release.audience' AND event_id <> ?")) {
            query.setString(1, rolloutId);
            query.setObject(2, rows.event().id());
            try (ResultSet found = query.executeQuery()) {
                found.next();
                double max = found.getDouble(1);
                return found.wasNull() ? null : max;
            }
        }
    }

    private void decided(RolloutDecisionEvent decision) throws SQLException {
        String environment = environmentOf(decision);
        String feature = switch (decision) {
            case RolloutAdvanceDecided advance -> advance.featureKey();
            case RolloutRollbackDecided back -> back.featureKey();
            case RolloutHoldDecided hold -> hold.featureKey();
        };
        String verdict = decision instanceof RolloutAdvanceDecided ? "advance"
                : decision instanceof RolloutRollbackDecided ? "rollback" : "hold";
        if (decision instanceof RolloutRollbackDecided back) {
            rows.releaseFact("rollout.rollbackdecided", feature, environment, null, null, null, null, back.rolloutId(),
                    back.decisionId(), null);
        }
        String summary = decision.evidence().summary();
        rows.change(environment, Kind.DECISION, null, feature, null, null, null, null, null, false,
                decision.rolloutId(), summary, verdict + " " + feature + " step " + decision.step()
                        + (summary == null ? "" : ": " + summary));
    }

    private static String environmentOf(RolloutDecisionEvent decision) {
        return switch (decision) {
            case RolloutAdvanceDecided advance -> advance.environment();
            case RolloutRollbackDecided back -> back.environment();
            case RolloutHoldDecided hold -> hold.environment();
        };
    }

    private static String audience(Audience audience) {
        String percent = String.format(Locale.ROOT, "%s%%", trim(audience.percentage()));
        return audience.users().isEmpty() ? percent : percent + " + " + String.join(", ", audience.users());
    }

    private static String steps(List<Double> steps) {
        return String.join(" -> ", steps.stream().map(step -> trim(step) + "%").toList());
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
