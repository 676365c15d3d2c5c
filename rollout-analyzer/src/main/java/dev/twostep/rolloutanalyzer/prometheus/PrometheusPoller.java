package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.rolloutanalyzer.prometheus.GuardPolls.Polled;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusGuardSource.Look;
import dev.twostep.rolloutanalyzer.rollout.TrackedRollout;
import dev.twostep.rolloutanalyzer.service.RolloutTracking;
import dev.twostep.rolloutanalyzer.view.RolloutRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads every due Prometheus guard of every active rollout and writes its look for the judge. The HTTP calls run
 * outside any transaction and hold no lock: a guard is claimed by a lease first ({@link GuardPolls#claimDue}), so
 * at N replicas each guard is read by one of them per period, and a slow Prometheus holds up no decision.
 *
 * <p>A failed look (unreachable, a query error, an empty result, NaN, a count that went down) is written as
 * "no data" with its reason and queries, and the next look waits {@code pollEvery · 2^failures}, at most
 * {@code maxBackoff}; the judge then sees no counts for the guard, which can neither advance nor roll back a step,
 * so a source that stays down holds the step at {@code maxStepDuration}.
 */
@ApplicationScoped
public class PrometheusPoller {

    private static final Logger LOG = Logger.getLogger(PrometheusPoller.class);
    private static final int BATCH = 64;
    /** Guards read at once: each holds a database connection for its write, so well below the pool's size. */
    private static final int THREADS = 8;

    private final GuardPolls polls;
    private final RolloutRepository rollouts;
    private final RolloutTracking tracking;
    private final PrometheusEndpoints endpoints;
    private final PrometheusConfig config;
    private final PrometheusGuardSource source;
    private final Clock clock;
    private final ExecutorService workers = Executors.newFixedThreadPool(THREADS);

    PrometheusPoller(GuardPolls polls, RolloutRepository rollouts, RolloutTracking tracking,
                     PrometheusEndpoints endpoints, PrometheusConfig config, Clock clock) {
        this.polls = polls;
        this.rollouts = rollouts;
        this.tracking = tracking;
        this.endpoints = endpoints;
        this.config = config;
        this.source = new PrometheusGuardSource(new PrometheusClient(config.timeout()));
        this.clock = clock;
    }

    @Scheduled(every = "${twostep.analyzer.prometheus.claim-every:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void pollDueGuards() throws InterruptedException {
        // Batch after batch until nothing is due: one batch a tick would cap the pace at BATCH guards a second
        // (2,000 guards read every 10 s need 200), whatever Prometheus and the database could do.
        int claimed;
        do {
            claimed = pollOneBatch();
        } while (claimed == BATCH);
    }

    private int pollOneBatch() throws InterruptedException {
        Instant now = clock.instant();
        // Long enough for a batch whose every query times out; a replica that dies frees its claims after it. Should
        // a lease run out while its replica still works, another replica reads the guard too: a look is a snapshot,
        // so that costs a few queries and changes no answer.
        Instant leaseUntil = now.plus(config.timeout().multipliedBy(4L * BATCH / THREADS)).plus(config.pollEvery());
        List<Callable<Void>> looks = polls.claimDue(now, leaseUntil, BATCH).stream().<Callable<Void>>map(polled -> () -> {
            try {
                poll(polled);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot read Prometheus guard %s of rollout %s; its lease runs out and it is tried again",
                        polled.guard(), polled.rolloutId());
            }
            return null;
        }).toList();
        workers.invokeAll(looks);
        return looks.size();
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** A rollout as the judge follows it, and what its arms are called in the application's metrics. */
    private record Followed(TrackedRollout rollout, VariantLabels variants) {
    }

    private void poll(Polled polled) {
        Optional<Followed> followed = QuarkusTransaction.requiringNew().call(() ->
                rollouts.findByIdOptional(polled.rolloutId()).map(row -> new Followed(tracking.tracked(row),
                        RolloutTracking.variantLabels(row))));
        Optional<TrackedRollout> found = followed.map(Followed::rollout);
        if (found.isEmpty() || found.get().stepsBegun().isEmpty()) {
            polls.record(polled.rolloutId(), polled.guard(), clock.instant(), clock.instant(),
                    Look.failed(List.of(), "the rollout's first step has not begun", false), 0,
                    clock.instant().plus(config.pollEvery()));
            return;
        }
        TrackedRollout rollout = found.get();
        Guard guard = rollout.plan().allGuards().stream().filter(one -> one.nameOrMetric().equals(polled.guard()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no guard " + polled.guard() + " in the plan"));
        Instant stepStartedAt = rollout.currentStepStartedAt();
        Instant now = clock.instant();
        Look previous = stepStartedAt.equals(polled.stepStartedAt()) ? polled.look() : null;
        // The preflight refused a plan naming a URL off the allow-list; checked again here because the list may have
        // shrunk since the rollout started, and the analyzer sends no query where it is not allowed to.
        Optional<String> refused = endpoints.refusal(guard.source().url());
        Look look = refused.map(rule -> Look.failed(List.of(), "the guard's url " + rule, false))
                .orElseGet(() -> endpoints.of(rollout.environment(), guard.source().url())
                        .map(endpoint -> source.look(endpoint, guard.source(), new PrometheusGuardSource.Step(
                                rollout.featureKey(), rollout.environment(), rollout.currentPercent() >= 100,
                                stepStartedAt, rollout.firstStepStartedAt(), previous, followed.get().variants()), now))
                        .orElse(Look.failed(List.of(), "no Prometheus is configured for environment "
                                + rollout.environment() + " (twostep.analyzer.prometheus.url) and the guard names no url",
                                false)));
        int failures = look.noData() == null ? 0 : polled.failures() + 1;
        polls.recordLook(polled.rolloutId(), polled.guard(), rollout.currentStep(), stepStartedAt, now, look, failures,
                clock.instant().plus(backoff(failures)));
        if (look.noData() != null) {
            LOG.warnf("no data for guard %s of rollout %s (failure %d in a row): %s", polled.guard(),
                    polled.rolloutId(), failures, look.noData());
        }
    }

    private Duration backoff(int failures) {
        Duration wait = config.pollEvery().multipliedBy(1L << Math.min(failures, 20));
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }
}
