package dev.twostep.rolloutanalyzer.service;

import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import dev.twostep.rolloutanalyzer.decision.GuardFamily;
import dev.twostep.rolloutanalyzer.decision.GuardLook;
import dev.twostep.rolloutanalyzer.decision.GuardReading;
import dev.twostep.rolloutanalyzer.decision.GuardRule;
import dev.twostep.rolloutanalyzer.decision.Replay;
import dev.twostep.rolloutanalyzer.decision.Replay.StepSpan;
import dev.twostep.rolloutanalyzer.decision.RolloutPolicy;
import dev.twostep.rolloutanalyzer.decision.StepObservation;
import dev.twostep.rolloutanalyzer.decision.Verdict;
import dev.twostep.rolloutanalyzer.metrics.MetricSamples;
import dev.twostep.rolloutanalyzer.metrics.SampleRetention;
import dev.twostep.rolloutanalyzer.prometheus.GuardPolls;
import dev.twostep.rolloutanalyzer.rollout.TrackedRollout;
import dev.twostep.rolloutanalyzer.view.RolloutEntity;
import dev.twostep.rolloutanalyzer.view.RolloutRepository;
import dev.twostep.rolloutanalyzer.view.RolloutStepEntity;
import dev.twostep.rolloutanalyzer.view.RolloutStepRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges every active rollout's running step and publishes at most one decision per step, with its evidence.
 * It looks on a short timer rather than only when samples arrive, because a hold is due when time passes
 * without data, and because samples arrive from HTTP and Kafka alike.
 */
@ApplicationScoped
public class RolloutDecisions {

    private static final Logger LOG = Logger.getLogger(RolloutDecisions.class);
    private static final String ACTOR = "rollout-analyzer";

    private final RolloutRepository rollouts;
    private final RolloutStepRepository steps;
    private final RolloutTracking tracking;
    private final MetricSamples samples;
    private final SampleRetention retention;
    private final CommandPath commands;
    private final GuardPolls polls;
    private final Clock clock;

    RolloutDecisions(RolloutRepository rollouts, RolloutStepRepository steps, RolloutTracking tracking,
                     MetricSamples samples, SampleRetention retention, CommandPath commands, GuardPolls polls,
                     Clock clock) {
        this.rollouts = rollouts;
        this.steps = steps;
        this.tracking = tracking;
        this.samples = samples;
        this.retention = retention;
        this.commands = commands;
        this.polls = polls;
        this.clock = clock;
    }

    @Scheduled(every = "${twostep.analyzer.judge-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void judgeActiveRollouts() {
        for (String rolloutId : QuarkusTransaction.requiringNew().call(rollouts::activeIds)) {
            try {
                // A decision another instance appended meanwhile makes this one judge again, and find none due.
                commands.call(() -> judge(rolloutId));
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot judge rollout %s; trying again at the next look", rolloutId);
            }
        }
    }

    /** Judges the running step of one rollout now; the decision, if any, is appended with the read model. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<RolloutDecisionEvent> judge(String rolloutId) {
        // The row lock keeps two analyzer instances from deciding the same step at once.
        RolloutEntity row = rollouts.findById(rolloutId, LockModeType.PESSIMISTIC_WRITE);
        TrackedRollout rollout = tracking.tracked(row);
        if (!rollout.awaitsDecision()) {
            return Optional.empty();
        }
        Optional<RolloutDecisionEvent> decision = rollout.decide(look(row, rollout));
        decision.ifPresent(event -> {
            String cause = steps.findById(new RolloutStepEntity.Key(rolloutId, rollout.currentPercent())).eventId;
            // The locked row is the rollout's state here: its count of decisions is the version of their stream.
            commands.append(Map.of(rolloutId, (long) row.decisions), List.of(event),
                    new EventMetadata(row.correlationId, cause, ACTOR, null), decided -> {
                        row.decisions++;
                        row.lastDecidedStep = ((RolloutDecisionEvent) decided.data()).step();
                    });
            LOG.infof("%s: %s", event.getClass().getSimpleName(), event.evidence().summary());
        });
        return decision;
    }

    /**
     * What the judge would say about the running step now, without deciding anything: while a step waits for
     * data, this is where its forecast ("needs about 2,400 more requests, ...") can be read. Empty when no step
     * awaits a decision.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Verdict> current(RolloutEntity row) {
        TrackedRollout rollout = tracking.tracked(row);
        return rollout.awaitsDecision() ? Optional.of(look(row, rollout)) : Optional.empty();
    }

    /** Every guard's reading of the running step, judged together. */
    private Verdict look(RolloutEntity row, TrackedRollout rollout) {
        Instant stepStartedAt = rollout.currentStepStartedAt();
        Instant now = clock.instant().isBefore(stepStartedAt) ? stepStartedAt : clock.instant();
        RolloutPolicy policy = RolloutPolicy.from(rollout.plan());
        List<Guard> guards = rollout.plan().allGuards();
        List<GuardReading> readings = new ArrayList<>();
        for (int i = 0; i < guards.size(); i++) {
            GuardRule guard = policy.guards().get(i);
            readings.add(RolloutTracking.fromPrometheus(guards.get(i))
                    ? polled(rollout, guard, now)
                    : new GuardReading(guard, pushed(row, rollout, guard, i == 0, now), null));
        }
        return GuardFamily.judge(policy, readings);
    }

    /**
     * The running step of one Prometheus guard as its latest look found it, read as a replay reads a kept look
     * ({@link GuardLook#reading}). No look yet in this step, or a failed one, gives no counts, with the reason: the
     * judge keeps watching and holds at maxStepDuration.
     */
    private GuardReading polled(TrackedRollout rollout, GuardRule guard, Instant now) {
        Instant stepStartedAt = rollout.currentStepStartedAt();
        GuardLook latest = polls.find(rollout.rolloutId(), guard.name())
                .filter(found -> found.look() != null && stepStartedAt.equals(found.stepStartedAt()))
                .map(found -> found.atStep(rollout.currentStep())).orElse(null);
        return GuardLook.reading(guard, new StepSpan(rollout.currentStep(), rollout.previousPercent(),
                rollout.currentPercent(), stepStartedAt, null), now, latest);
    }

    /** The running step of one guard from pushed samples: those that name the guard, or none for the first guard. */
    private StepObservation pushed(RolloutEntity row, TrackedRollout rollout, GuardRule guard, boolean firstGuard,
                                   Instant now) {
        Instant stepStartedAt = rollout.currentStepStartedAt();
        Counts control = samples.sum(row.featureKey, row.environment, guard.name(), firstGuard, Variant.off,
                stepStartedAt, null);
        Counts treatment = samples.sum(row.featureKey, row.environment, guard.name(), firstGuard, Variant.on,
                stepStartedAt, null);
        Counts earlierControl = samples.sum(row.featureKey, row.environment, guard.name(), firstGuard, Variant.off,
                rollout.firstStepStartedAt(), stepStartedAt);
        return new StepObservation(rollout.currentStep(), rollout.previousPercent(), rollout.currentPercent(),
                stepStartedAt, now, control, treatment, earlierControl);
    }

    /**
     * What the rollout's recorded samples and Prometheus looks would have produced under {@code policy}. Writes
     * nothing. Refuses with 410 once the rollout ended longer ago than they are kept: a replay of what is left would
     * answer wrongly.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Replay.ReplayedVerdict> rejudge(RolloutEntity row, RolloutPolicy policy) {
        if (row.endedAt != null && row.endedAt.isBefore(retention.cutoff())) {
            throw new ProblemException(410, "Gone", ("rollout %s ended at %s; its metric samples were kept until %s"
                    + " and are gone, so it can no longer be rejudged")
                    .formatted(row.rolloutId, row.endedAt, retention.keptUntil(row.endedAt)), List.of());
        }
        TrackedRollout rollout = tracking.tracked(row);
        List<StepSpan> spans = spans(rollout);
        if (spans.isEmpty()) {
            return List.of();
        }
        Set<String> polledGuards = rollout.plan().allGuards().stream().filter(RolloutTracking::fromPrometheus)
                .map(Guard::nameOrMetric).collect(Collectors.toSet());
        return Replay.replay(policy, spans, new Replay.History(
                samples.since(row.featureKey, row.environment, rollout.firstStepStartedAt()), polledGuards,
                polls.looks(row.rolloutId)), clock.instant());
    }

    /** One step of a rollout with the samples that count for its first guard, in the order they arrived. */
    public record StepSamples(int step, double fromPercent, double percent, Instant startedAt, Instant endedAt,
                              List<Replay.RecordedSample> samples) {
    }

    /**
     * The recorded samples of a rollout's first guard, step by step, for a chart beside its decisions: a sample
     * belongs to the step during which its window started, as the judge and a replay count it, and samples whose
     * window started after the rollout ended are not its. A Prometheus guard has looks, not samples: none then.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<StepSamples> recorded(RolloutEntity row) {
        TrackedRollout rollout = tracking.tracked(row);
        List<StepSpan> spans = spans(rollout);
        if (spans.isEmpty()) {
            return List.of();
        }
        String firstGuard = rollout.plan().allGuards().getFirst().nameOrMetric();
        List<Replay.RecordedSample> ofTheGuard = samples.since(row.featureKey, row.environment,
                        rollout.firstStepStartedAt()).stream()
                .filter(sample -> sample.metric() == null || sample.metric().equals(firstGuard))
                .filter(sample -> row.endedAt == null || sample.windowStart().isBefore(row.endedAt))
                .toList();
        return spans.stream().map(span -> new StepSamples(span.step(), span.fromPercent(), span.percent(),
                span.startedAt(), span.endedAt(), ofTheGuard.stream()
                .filter(sample -> span.contains(sample.windowStart())).toList())).toList();
    }

    /** The steps begun so far, each ending when the next began. */
    private static List<StepSpan> spans(TrackedRollout rollout) {
        List<TrackedRollout.StepBegun> begun = rollout.stepsBegun();
        List<StepSpan> spans = new ArrayList<>();
        for (int i = 0; i < begun.size(); i++) {
            TrackedRollout.StepBegun step = begun.get(i);
            spans.add(new StepSpan(rollout.stepOf(step),
                    i == 0 ? 0 : begun.get(i - 1).percent(), step.percent(), step.at(),
                    i + 1 < begun.size() ? begun.get(i + 1).at() : null));
        }
        return spans;
    }
}
