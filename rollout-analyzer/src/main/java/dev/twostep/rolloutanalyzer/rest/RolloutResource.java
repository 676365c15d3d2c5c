package dev.twostep.rolloutanalyzer.rest;

import dev.twostep.access.Roles;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import dev.twostep.rolloutanalyzer.decision.GuardFamily;
import dev.twostep.rolloutanalyzer.decision.GuardRule;
import dev.twostep.rolloutanalyzer.decision.RolloutPolicy;
import dev.twostep.rolloutanalyzer.decision.Replay.ReplayedVerdict;
import dev.twostep.rolloutanalyzer.decision.Verdict;
import dev.twostep.rolloutanalyzer.rollout.TrackedRollout;
import dev.twostep.rolloutanalyzer.service.RolloutDecisions;
import dev.twostep.rolloutanalyzer.service.RolloutTracking;
import dev.twostep.rolloutanalyzer.view.RolloutEntity;
import dev.twostep.rolloutanalyzer.view.RolloutRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The rollouts the analyzer judges, its decisions with their evidence, and what-if replays. */
@Path("/rollouts/{rolloutId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class RolloutResource {

    private final RolloutRepository rollouts;
    private final RolloutTracking tracking;
    private final RolloutDecisions decisions;
    private final EventStore store;

    RolloutResource(RolloutRepository rollouts, RolloutTracking tracking, RolloutDecisions decisions,
                    EventStore store) {
        this.rollouts = rollouts;
        this.tracking = tracking;
        this.decisions = decisions;
        this.store = store;
    }

    public record StepView(int step, double percent, Instant startedAt) {
    }

    /**
     * @param waiting what the judge would say about the running step now, while it awaits a decision: its summary
     *                and every guard's evidence, with the forecast of what the step still needs; absent otherwise
     */
    public record RolloutView(String rolloutId, String featureKey, String environment, String status,
                              Object plan, int currentStep, List<StepView> steps, int decisions,
                              Instant startedAt, Evidence waiting) {
    }

    public record DecisionView(String type, Instant decidedAt, String correlationId, Object decision) {
    }

    public record RejudgedStep(int step, double percent, Instant at, String verdict, String holdReason,
                               Evidence evidence) {
    }

    /**
     * The policy a replay ran under. The first five fields are the first guard's and the step's, as the answer
     * had them when a rollout had one guard; {@code guards} lists every guard with the α it was judged at.
     */
    public record PolicyView(double maxIncrease, double confidence, long minRequestsPerStep, Duration minStepDuration,
                             Duration maxStepDuration, List<GuardView> guards) {

        static PolicyView of(RolloutPolicy policy) {
            GuardRule first = policy.guards().getFirst();
            return new PolicyView(first.maxIncrease(), first.confidence(), policy.minRequestsPerStep(),
                    policy.minStepDuration(), policy.maxStepDuration(), policy.guards().stream()
                    .map(guard -> new GuardView(guard.name(), guard.metric(), guard.maxIncrease(), guard.confidence(),
                            guard.acting(), policy.alphaOf(guard))).toList());
        }
    }

    public record GuardView(String name, String metric, double maxIncrease, double confidence, boolean acting,
                            double alpha) {
    }

    public record RejudgeResult(String rolloutId, PolicyView policy, List<RejudgedStep> steps) {
    }

    @GET
    @Transactional
    public RolloutView get(@PathParam("rolloutId") String rolloutId) {
        RolloutEntity row = find(rolloutId);
        TrackedRollout rollout = tracking.tracked(row);
        List<StepView> steps = rollout.stepsBegun().stream()
                .map(step -> new StepView(rollout.stepOf(step), step.percent(),
                        step.at())).toList();
        return new RolloutView(row.rolloutId, row.featureKey, row.environment, row.status, rollout.plan(),
                rollout.currentStep(), steps, row.decisions, row.startedAt,
                decisions.current(row).map(Verdict::evidence).orElse(null));
    }

    @GET
    @Path("/decisions")
    @Transactional
    public List<DecisionView> decisions(@PathParam("rolloutId") String rolloutId) {
        find(rolloutId);
        return store.load(rolloutId).stream()
                .map(event -> new DecisionView(event.type(), event.time(), event.correlationId(), event.data()))
                .toList();
    }

    /** The recorded samples of the rollout's first guard, step by step, as the decisions counted them. */
    @GET
    @Path("/samples")
    @Transactional
    public List<RolloutDecisions.StepSamples> samples(@PathParam("rolloutId") String rolloutId) {
        return decisions.recorded(find(rolloutId));
    }

    /** Replays the recorded samples under another policy; answers what would have been decided, writes nothing. */
    @POST
    @Path("/rejudge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    public RejudgeResult rejudge(@PathParam("rolloutId") String rolloutId,
                                 @NotNull(message = "a policy is required") @Valid RejudgeRequest request) {
        RolloutEntity row = find(rolloutId);
        RolloutPolicy policy = request.applyTo(RolloutTracking.plan(row));
        List<RejudgedStep> steps = decisions.rejudge(row, policy).stream().map(RolloutResource::view).toList();
        return new RejudgeResult(rolloutId, PolicyView.of(policy), steps);
    }

    private static RejudgedStep view(ReplayedVerdict replayed) {
        Verdict verdict = replayed.verdict();
        String name = GuardFamily.nameOf(verdict);
        String holdReason = verdict instanceof Verdict.Hold hold ? hold.reason().name().toLowerCase(Locale.ROOT) : null;
        return new RejudgedStep(replayed.step(), replayed.percent(), replayed.at(), name, holdReason,
                verdict.evidence());
    }

    private RolloutEntity find(String rolloutId) {
        return rollouts.findByIdOptional(rolloutId)
                .orElseThrow(() -> ProblemException.notFound("no rollout " + rolloutId + " is known to the analyzer"));
    }
}
