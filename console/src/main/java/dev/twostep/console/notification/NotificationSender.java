package dev.twostep.console.notification;

import dev.twostep.console.notification.Deliveries.After;
import dev.twostep.console.notification.Deliveries.Claimed;
import dev.twostep.console.notification.Deliveries.Outcome;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts the due deliveries. Each subscription has its own lane: one post at a time, oldest first, on its own
 * (virtual) thread, at most {@code parallel-sends} lanes at once per replica; so a receiver that hangs holds up only
 * its own lane, for at most the connect and read time-outs, and never another receiver's notices. A lane ends when
 * its receiver has nothing due or a post fails (its retries wait their turn in the schedule).
 *
 * <p>Posts happen outside any transaction; claiming and recording are short transactions of their own. Across
 * replicas a row is claimed by one ({@code FOR UPDATE SKIP LOCKED} and a lease in {@code due_at}). A crash between a
 * receiver's answer and recording it makes the row due again when the lease ends, and the receiver gets the notice a
 * second time, with the same body, signature and {@code Idempotency-Key} (the CloudEvent id), by which it can drop it.
 */
@ApplicationScoped
public class NotificationSender {

    private static final Logger LOG = Logger.getLogger(NotificationSender.class);

    /** The receiver may tell the sender apart from other traffic. */
    private static final String USER_AGENT = "twostep-console";

    private final Deliveries deliveries;
    private final NotificationMetrics metrics;
    private final NotificationConfig config;
    private final TargetRules targets;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore lanePermits;
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();

    NotificationSender(Deliveries deliveries, NotificationMetrics metrics, NotificationConfig config, Clock clock) {
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.config = config;
        this.targets = TargetRules.resolvingWithTheSystem(config.allowPrivateTargets());
        this.clock = clock;
        this.lanePermits = new Semaphore(config.parallelSends());
        // Redirects are not followed: a receiver could otherwise point the console at a target the rules refuse.
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Scheduled(every = "${twostep.console.notifications.send-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendDue() {
        for (UUID subscription : deliveries.subscriptionsDue(clock.instant())) {
            if (!busy.add(subscription)) {
                continue;
            }
            if (!lanePermits.tryAcquire()) {
                busy.remove(subscription);
                return;
            }
            lanes.execute(() -> {
                try {
                    drain(subscription);
                } catch (RuntimeException e) {
                    LOG.warnf("notification lane of subscription %s stopped: %s", subscription, e.getMessage());
                } finally {
                    busy.remove(subscription);
                    lanePermits.release();
                }
            });
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOld() {
        int forgotten = deliveries.forgetFinishedBefore(clock.instant().minus(config.retention()));
        if (forgotten > 0) {
            LOG.infof("forgot %d finished notification deliveries older than %s", forgotten, config.retention());
        }
    }

    @PreDestroy
    void stop() {
        lanes.shutdownNow();
    }

    private void drain(UUID subscription) {
        Duration lease = config.connectTimeout().plus(config.readTimeout()).plusSeconds(10);
        while (true) {
            Optional<Claimed> next = deliveries.claimNext(subscription, clock.instant(), lease);
            if (next.isEmpty()) {
                return;
            }
            Claimed claimed = next.get();
            Outcome outcome = post(claimed);
            After after = deliveries.record(claimed, outcome, clock.instant(), config.retrySchedule());
            switch (after) {
                case DELIVERED -> metrics.delivered(subscription, claimed.format());
                case RETRY -> metrics.failedAttempt(subscription, claimed.format());
                case DEAD -> {
                    metrics.failedAttempt(subscription, claimed.format());
                    metrics.deadLettered(subscription, claimed.format());
                    LOG.warnf("notification %s to subscription %s dead-lettered: %s", claimed.noticeId(),
                            subscription, outcome.description());
                }
                case CLAIM_LOST -> LOG.infof("notification %s to subscription %s: a later claim decides",
                        claimed.noticeId(), subscription);
            }
            if (!outcome.delivered()) {
                return;
            }
        }
    }

    /** One post, never longer than the connect and read time-outs together; never throws. */
    private Outcome post(Claimed claimed) {
        Instant start = clock.instant();
        Optional<String> refusal = targets.refusal(claimed.url());
        if (refusal.isPresent()) {
            return new Outcome(false, null, "target refused: url " + refusal.get(), 0);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(claimed.url()))
                .timeout(config.readTimeout())
                .header("Content-Type", claimed.contentType())
                .header(Signature.HEADER, Signature.of(claimed.secret(), claimed.body()))
                .header("Idempotency-Key", claimed.noticeId().toString())
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(claimed.body()))
                .build();
        CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        Duration limit = config.connectTimeout().plus(config.readTimeout());
        try {
            int status = answer.get(limit.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            boolean delivered = status >= 200 && status < 300;
            return new Outcome(delivered, status, delivered ? "delivered (HTTP " + status + ")" : "HTTP " + status,
                    millisSince(start));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Outcome(false, null, "no answer within " + limit.toMillis() + " ms", millisSince(start));
        } catch (ExecutionException e) {
            return new Outcome(false, null, describe(e.getCause()), millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            return new Outcome(false, null, "interrupted while posting (the console stopped)", millisSince(start));
        }
    }

    private String describe(Throwable failure) {
        return switch (failure) {
            case HttpConnectTimeoutException timeout -> "no connection within " + config.connectTimeout().toMillis()
                    + " ms";
            case HttpTimeoutException timeout -> "no answer within " + config.readTimeout().toMillis() + " ms";
            case ConnectException refused -> "connection refused";
            default -> failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        };
    }

    private long millisSince(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }
}
