package dev.twostep.console.intake;

import dev.twostep.console.delivery.DefinitionReach;
import dev.twostep.console.delivery.Fact.FeatureRolledBack;
import dev.twostep.console.suspects.Change.Kind;
import dev.twostep.events.AccessEvent.ApiKeyIssued;
import dev.twostep.events.AccessEvent.ApiKeyRevoked;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.ArtefactEvent;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.EventSummary;
import dev.twostep.events.EventTypes;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.TwostepEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Writes what one event tells the console into the read model: the timeline's row, delivery facts, the change log,
 * provenance and what is known. Every write is an insert keyed by the event (ON CONFLICT DO NOTHING), so applying an event twice, or
 * events in any order across topics and replicas, leaves the same rows; nothing is ever updated. Two writes look back
 * at a feature's earlier events (a rollout step's previous share, the definition that stood before one set by hand),
 * which share its partition and so are applied before it, live and in a rebuild.
 *
 * <p>Event types the console does not use (metric samples, artefact revocations and rejections, segments, and any
 * type added to the contract later) are consumed and ignored. A type this build of the contract
 * does not know at all cannot be decoded: {@code EventIntake} sends it to the topic's DLQ with the reason and goes on
 * with the partition; a console built with the newer contract picks it up by a rebuild ({@code ReadModelRebuild}).
 */
@ApplicationScoped
public class Projection {

    /** The change log's environment for a change that concerns every environment. */
    public static final String EVERY_ENVIRONMENT = "*";

    private static final String DEFINITION_SET_TYPE = EventTypes.typeOf(FeatureDefinitionSet.class);
    /** What stood before an event of a feature in an environment: a short walk back along {@code event_log_feature}. */
    private static final String STANDING_BEFORE = "SELECT type, data FROM event_log WHERE feature_key = ?"
            + " AND environment = ? AND type IN ('" + EventTypes.typeOf(FeatureReleased.class) + "', '"
            + EventTypes.typeOf(dev.twostep.events.ReleaseEvent.FeatureRolledBack.class) + "', '"
            + DEFINITION_SET_TYPE + "') AND (at, event_id) < (?, ?) ORDER BY at DESC, event_id DESC LIMIT 1";

    private final AgroalDataSource dataSource;

    Projection(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(EventEnvelope event) {
        try (Connection connection = dataSource.getConnection()) {
            new Writer(connection, event).write();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot project event " + event.id(), e);
        }
    }

    /** The writes of one event on one connection. */
    private static final class Writer {
        private final Connection connection;
        private final EventEnvelope event;

        Writer(Connection connection, EventEnvelope event) {
            this.connection = connection;
            this.event = event;
        }

        void write() throws SQLException {
            TwostepEvent data = event.data();
            logged(data);
            if (data instanceof BuildCompleted build) {
                insert("INSERT INTO build (build_id, commit, finished_at, event_id) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING", build.buildId(), build.commit(), time(build.finishedAt()), event.id());
            } else if (data instanceof ArtefactPublished artefact) {
                insert("INSERT INTO artefact_version (application, version, build_id, commit, features, event_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", artefact.name(), artefact.version(),
                        artefact.buildId(), artefact.commit(), connection.createArrayOf("text",
                                artefact.features().toArray()), event.id());
                for (String feature : artefact.features()) {
                    featureOf(artefact.name(), feature);
                }
            } else if (data instanceof DeploymentRequested asked) {
                deployFact("deploy.requested", asked.deploymentId(), asked.application(), asked.environment(),
                        asked.version(), null, null);
            } else if (data instanceof DeploymentSucceeded done) {
                deployFact("deploy.succeeded", done.deploymentId(), done.application(), done.environment(),
                        done.version(), done.replacedVersion(), null);
                change(done.environment(), Kind.DEPLOYED, done.application(), null, done.version(),
                        done.replacedVersion(), done.commit(), null, null, false, null, null,
                        done.application() + " " + done.version() + " deployed" + (done.replacedVersion() == null
                                ? " (first deployment)" : " (replaced " + done.replacedVersion() + ")"));
            } else if (data instanceof DeploymentFailed failed) {
                deployFact("deploy.failed", failed.deploymentId(), failed.application(), failed.environment(),
                        failed.version(), null, failed.reason());
                change(failed.environment(), Kind.DEPLOY_FAILED, failed.application(), null, failed.version(), null,
                        failed.commit(), null, null, false, null, failed.reason(),
                        failed.application() + " " + failed.version() + " failed to deploy: " + failed.reason());
            } else if (data instanceof DeploymentRolledBack back) {
                deployFact("deploy.rolledback", back.deploymentId(), back.application(), back.environment(),
                        back.toVersion(), back.fromVersion(), back.reason());
                change(back.environment(), Kind.DEPLOY_ROLLED_BACK, back.application(), null, back.toVersion(),
                        back.fromVersion(), null, null, null, false, null, back.reason(),
                        back.application() + " rolled back from " + back.fromVersion() + " to " + back.toVersion()
                                + ": " + back.reason());
            } else if (data instanceof EnvironmentDefined defined) {
                change(defined.name(), Kind.ENVIRONMENT_DEFINED, null, null, null, null, null, null, null, false, null,
                        null, "environment " + defined.name() + " defined: promotes from "
                                + (defined.promotesFrom() == null ? "nowhere" : defined.promotesFrom())
                                + (defined.requiresApproval() ? ", approval required" : "")
                                + (defined.autoRollbackOnFailure() ? ", rolls back on failure" : "")
                                + ", target " + defined.target().kind());
            } else if (data instanceof PromotionApproved approved) {
                change(approved.environment(), Kind.PROMOTION_APPROVED, approved.application(), null,
                        approved.version(), null, null, null, null, false, null, null,
                        approved.approvedBy() + " approved " + approved.application() + " " + approved.version());
            } else if (data instanceof FeatureDefined defined && defined.application() != null) {
                featureOf(defined.application(), defined.featureKey());
            } else if (data instanceof FeatureReleased released) {
                released(released);
            } else if (data instanceof FeatureDefinitionSet set) {
                definitionSet(set);
            } else if (data instanceof dev.twostep.events.ReleaseEvent.FeatureRolledBack back) {
                Audience before = back.previousAudience() == null ? Audience.NOBODY : back.previousAudience();
                releaseFact("release.rolledback", back.featureKey(), back.environment(), null, null, before.percentage(),
                        before.users().size(), null, back.decisionId(), back.reason());
                String cause = back.decisionId() != null ? "by decision " + back.decisionId()
                        : FeatureRolledBack.CODE_GONE.equals(back.reason()) ? "because its code left" : "by hand";
                change(back.environment(), Kind.FEATURE_ROLLED_BACK, null, back.featureKey(), null, null, null,
                        before.percentage(), null, !before.users().isEmpty(), null, back.reason(),
                        back.featureKey() + " rolled back " + cause + " (had " + audience(before) + ")");
            } else if (data instanceof RolloutStarted started) {
                releaseFact("rollout.started", started.featureKey(), started.environment(), null, null, null, null,
                        started.rolloutId(), null, null);
                change(started.environment(), Kind.ROLLOUT_STARTED, null, started.featureKey(), null, null, null, null,
                        null, false, started.rolloutId(), null, "rollout " + started.rolloutId() + " of "
                                + started.featureKey() + " started: " + steps(started.plan().steps()));
            } else if (data instanceof RolloutCompleted completed && completed.environment() != null) {
                releaseFact("rollout.completed", completed.featureKey(), completed.environment(), null, null, null, null,
                        completed.rolloutId(), null, null);
                change(completed.environment(), Kind.ROLLOUT_COMPLETED, null, completed.featureKey(), null, null, null,
                        null, null, false, completed.rolloutId(), null,
                        "rollout " + completed.rolloutId() + " of " + completed.featureKey() + " completed");
            } else if (data instanceof RolloutAborted aborted && aborted.environment() != null) {
                change(aborted.environment(), Kind.ROLLOUT_ABORTED, null, aborted.featureKey(), null, null, null, null,
                        null, false, aborted.rolloutId(), aborted.reason(),
                        "rollout " + aborted.rolloutId() + " of " + aborted.featureKey() + " aborted: " + aborted.reason());
            } else if (data instanceof RolloutDecisionEvent decision && environmentOf(decision) != null) {
                decided(decision);
            } else if (data instanceof ApiKeyIssued issued) {
                for (String environment : issued.environments()) {
                    change(environment, Kind.API_KEY_ISSUED, null, null, null, null, null, null, null, false, null, null,
                            "API key " + issued.name() + " (" + issued.keyId() + ") issued for "
                                    + String.join(", ", issued.environments()));
                }
            } else if (data instanceof ApiKeyRevoked revoked) {
                // A revocation names no environments; it is logged under EVERY_ENVIRONMENT, which every environment's
                // suspects include, rather than under the environments known when it arrived (an order-dependent set).
                change(EVERY_ENVIRONMENT, Kind.API_KEY_REVOKED, null, null, null, null, null, null, null, false, null,
                        null, "API key " + revoked.name() + " (" + revoked.keyId() + ") revoked");
            }
        }

        /**
         * The timeline's row: the same words as {@code ./twostep log} and the keys its filters read, found as the CLI
         * finds them (an environment or application event names itself in {@code name}).
         */
        private void logged(TwostepEvent data) throws SQLException {
            JsonNode json = EventJson.mapper().valueToTree(data);
            String rolloutId = json.path("rolloutId").asText(null);
            insert("INSERT INTO event_log (event_id, at, type, subject, actor, correlation_id, feature_key, environment,"
                            + " application, rollout_id, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
                            + " ON CONFLICT DO NOTHING",
                    event.id(), time(event.time()), event.type(), event.subject(), event.actor(), event.correlationId(),
                    json.path("featureKey").asText(null),
                    data instanceof EnvironmentDefined ? json.path("name").asText(null)
                            : json.path("environment").asText(null),
                    data instanceof ArtefactPublished || data instanceof ArtefactEvent.ArtefactRevoked
                            ? json.path("name").asText(null) : json.path("application").asText(null),
                    rolloutId, EventSummary.summary(data), json.toString());
        }

        private void released(FeatureReleased released) throws SQLException {
            Audience after = released.audience();
            Audience before = released.previousAudience() == null ? Audience.NOBODY : released.previousAudience();
            releaseFact("release.audience", released.featureKey(), released.environment(), after.percentage(),
                    after.users().size(), before.percentage(), before.users().size(), released.rolloutId(), null,
                    released.reason());
            change(released.environment(), released.rolloutId() == null ? Kind.AUDIENCE_CHANGED : Kind.ROLLOUT_STEP,
                    null, released.featureKey(), null, null, null, after.percentage(), before.percentage(),
                    !after.users().equals(before.users()), released.rolloutId(), released.reason(),
                    released.featureKey() + " " + audience(before) + " -> " + audience(after));
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
                releaseFact("release.audience", set.featureKey(), set.environment(), set.stepPercentage(), 0, before,
                        0, set.rolloutId(), null, set.reason());
                change(set.environment(), Kind.ROLLOUT_STEP, null, set.featureKey(), null, null, null,
                        set.stepPercentage(), before, false, set.rolloutId(), set.reason(), set.featureKey() + " "
                                + trim(before == null ? 0 : before) + "% -> " + trim(set.stepPercentage()) + "%: "
                                + set.reason());
            } else {
                change(set.environment(), Kind.DEFINITION_SET, null, set.featureKey(), null, null, null, null, null,
                        false, set.rolloutId(), set.reason(), EventSummary.summary(set));
                DefinitionReach reach = DefinitionReach.of(set.definition());
                if (set.rolloutId() == null && reach != DefinitionReach.DEFAULT_ONLY && !servesAsBefore(set)) {
                    releaseFact("release.definition", set.featureKey(), set.environment(),
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
            try (PreparedStatement query = connection.prepareStatement(STANDING_BEFORE)) {
                query.setString(1, set.featureKey());
                query.setString(2, set.environment());
                query.setObject(3, time(event.time()));
                query.setObject(4, event.id());
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() && rows.getString(1).equals(DEFINITION_SET_TYPE) && DefinitionReach.servesAlike(
                            EventJson.mapper().readTree(rows.getString(2)).path("definition"), set.definition());
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the event log holds data that is not JSON", e);
            }
        }

        private Double previousStep(String rolloutId) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("SELECT max(percentage) FROM delivery_fact"
                    + " WHERE rollout_id = ? AND kind = 'release.audience' AND event_id <> ?")) {
                query.setString(1, rolloutId);
                query.setObject(2, event.id());
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    double max = rows.getDouble(1);
                    return rows.wasNull() ? null : max;
                }
            }
        }

        private void decided(RolloutDecisionEvent decision) throws SQLException {
            String environment = environmentOf(decision);
            String feature = decision instanceof RolloutAdvanceDecided advance ? advance.featureKey()
                    : decision instanceof RolloutRollbackDecided back ? back.featureKey()
                    : ((RolloutDecisionEvent.RolloutHoldDecided) decision).featureKey();
            String verdict = decision instanceof RolloutAdvanceDecided ? "advance"
                    : decision instanceof RolloutRollbackDecided ? "rollback" : "hold";
            if (decision instanceof RolloutRollbackDecided back) {
                releaseFact("rollout.rollbackdecided", feature, environment, null, null, null, null, back.rolloutId(),
                        back.decisionId(), null);
            }
            String summary = decision.evidence().summary();
            change(environment, Kind.DECISION, null, feature, null, null, null, null, null, false,
                    decision.rolloutId(), summary, verdict + " " + feature + " step " + decision.step()
                            + (summary == null ? "" : ": " + summary));
        }

        private static String environmentOf(RolloutDecisionEvent decision) {
            return switch (decision) {
                case RolloutAdvanceDecided advance -> advance.environment();
                case RolloutRollbackDecided back -> back.environment();
                case RolloutDecisionEvent.RolloutHoldDecided hold -> hold.environment();
            };
        }

        private void deployFact(String kind, String deploymentId, String application, String environment,
                                String version, String otherVersion, String reason) throws SQLException {
            if (kind.equals("deploy.succeeded")) {
                insert("INSERT INTO deployed_pair (environment, application) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        environment, application);
            }
            insert("INSERT INTO delivery_fact (event_id, kind, environment, application, at, deployment_id, version,"
                            + " other_version, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    event.id(), kind, environment, application, time(event.time()), deploymentId, version, otherVersion,
                    reason);
        }

        private void releaseFact(String kind, String feature, String environment, Double percentage, Integer users,
                                 Double previousPercentage, Integer previousUsers, String rolloutId,
                                 String decisionId, String reason) throws SQLException {
            insert("INSERT INTO delivery_fact (event_id, kind, environment, feature_key, at, percentage, users,"
                            + " previous_percentage, previous_users, rollout_id, decision_id, reason)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    event.id(), kind, environment, feature, time(event.time()), percentage, users, previousPercentage,
                    previousUsers, rolloutId, decisionId, reason);
        }

        private void change(String environment, Kind kind, String application, String feature, String version,
                            String previousVersion, String commit, Double percentage, Double previousPercentage,
                            boolean usersChanged, String rolloutId, String reason, String summary)
                throws SQLException {
            insert("INSERT INTO change_log (event_id, environment, at, kind, application, feature_key, version,"
                            + " previous_version, commit, percentage, previous_percentage, users_changed, rollout_id,"
                            + " actor, reason, summary, correlation_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    event.id(), environment, time(event.time()), kind.name(), application, feature, version,
                    previousVersion, commit, percentage, previousPercentage, usersChanged, rolloutId, event.actor(),
                    reason, summary, event.correlationId());
        }

        private void featureOf(String application, String feature) throws SQLException {
            insert("INSERT INTO feature_application (application, feature_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    application, feature);
        }

        private void insert(String sql, Object... parameters) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                statement.executeUpdate();
            }
        }
    }

    private static Object time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
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
