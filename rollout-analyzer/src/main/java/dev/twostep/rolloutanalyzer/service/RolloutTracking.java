package dev.twostep.rolloutanalyzer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.rolloutanalyzer.decision.GuardLook;
import dev.twostep.rolloutanalyzer.prometheus.GuardPolls;
import dev.twostep.rolloutanalyzer.prometheus.VariantLabels;
import dev.twostep.rolloutanalyzer.rollout.TrackedRollout;
import dev.twostep.rolloutanalyzer.rollout.TrackedRollout.StepBegun;
import dev.twostep.rolloutanalyzer.view.RolloutEntity;
import dev.twostep.rolloutanalyzer.view.RolloutEntity.Status;
import dev.twostep.rolloutanalyzer.view.RolloutRepository;
import dev.twostep.rolloutanalyzer.view.RolloutStepEntity;
import dev.twostep.rolloutanalyzer.view.RolloutStepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/** Follows rollouts through the release-controller's events: their plans, their steps and their end. */
@ApplicationScoped
public class RolloutTracking {

    private final RolloutRepository rollouts;
    private final RolloutStepRepository steps;
    private final GuardPolls polls;

    public static final String PROMETHEUS = GuardLook.PROMETHEUS;

    RolloutTracking(RolloutRepository rollouts, RolloutStepRepository steps, GuardPolls polls) {
        this.rollouts = rollouts;
        this.steps = steps;
        this.polls = polls;
    }

    /** A guard whose counts the analyzer reads from Prometheus; every other guard's come as pushed samples. */
    public static boolean fromPrometheus(Guard guard) {
        return guard.source() != null && PROMETHEUS.equals(guard.source().type());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(EventEnvelope envelope) {
        switch (envelope.data()) {
            case RolloutStarted started when rollouts.findByIdOptional(started.rolloutId()).isEmpty() -> {
                RolloutEntity row = new RolloutEntity();
                row.rolloutId = started.rolloutId();
                row.featureKey = started.featureKey();
                row.environment = started.environment();
                row.plan = planJson(started.plan());
                row.status = Status.ACTIVE.name();
                row.correlationId = envelope.correlationId();
                row.startedAt = envelope.time();
                row.treatment = started.treatment();
                row.control = started.control();
                rollouts.persist(row);
                for (Guard guard : started.plan().allGuards()) {
                    if (fromPrometheus(guard)) {
                        polls.register(started.rolloutId(), guard.nameOrMetric(), envelope.time());
                    }
                }
            }
            case FeatureReleased released when released.rolloutId() != null ->
                    beginStep(released.rolloutId(), released.audience().percentage(), envelope);
            case FeatureDefinitionSet set when set.rolloutId() != null && set.stepPercentage() != null ->
                    beginStep(set.rolloutId(), set.stepPercentage(), envelope);
            case RolloutCompleted completed -> end(completed.rolloutId(), Status.COMPLETED, envelope.time());
            case RolloutAborted aborted -> end(aborted.rolloutId(), Status.ABORTED, envelope.time());
            default -> {
                // other release events do not change what the analyzer judges
            }
        }
    }

    /** A step began: the audience widened, or a named variant's share grew, to {@code percent}. */
    private void beginStep(String rolloutId, double percent, EventEnvelope envelope) {
        if (steps.findByIdOptional(new RolloutStepEntity.Key(rolloutId, percent)).isPresent()) {
            return;
        }
        RolloutStepEntity step = new RolloutStepEntity();
        step.rolloutId = rolloutId;
        step.percent = percent;
        step.startedAt = envelope.time();
        step.eventId = envelope.id().toString();
        steps.persist(step);
    }

    /**
     * The values of the {@code variant} label for the rollout's two arms, as an application's metrics carry them:
     * {@code on} and {@code off} for an audience's rollout, the variants' names for a named variant's.
     */
    public static VariantLabels variantLabels(RolloutEntity row) {
        return row.treatment == null ? VariantLabels.AUDIENCE : new VariantLabels(row.treatment, row.control);
    }

    /**
     * The end is the event's time, not this service's: the retention period of the samples runs from it. An ended
     * rollout's guards are read no more, so their rows go with it.
     */
    private void end(String rolloutId, Status status, Instant at) {
        rollouts.findByIdOptional(rolloutId).ifPresent(row -> {
            row.status = status.name();
            row.endedAt = at;
            polls.forget(rolloutId);
        });
    }

    /** The rollout as the pure decision core sees it. */
    public TrackedRollout tracked(RolloutEntity row) {
        List<StepBegun> begun = steps.stepsOf(row.rolloutId).stream()
                .map(step -> new StepBegun(step.percent, step.startedAt)).toList();
        return new TrackedRollout(row.rolloutId, row.featureKey, row.environment, plan(row),
                Status.ACTIVE.name().equals(row.status), begun, row.lastDecidedStep);
    }

    public static Plan plan(RolloutEntity row) {
        try {
            return EventJson.mapper().readValue(row.plan, Plan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan of rollout " + row.rolloutId + " is unreadable", e);
        }
    }

    private static String planJson(Plan plan) {
        try {
            return EventJson.mapper().writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a plan as JSON", e);
        }
    }
}
