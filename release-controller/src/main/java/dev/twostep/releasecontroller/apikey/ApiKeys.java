package dev.twostep.releasecontroller.apikey;

import dev.twostep.events.AccessEvent;
import dev.twostep.events.AccessEvent.ApiKeyIssued;
import dev.twostep.events.AccessEvent.ApiKeyRevoked;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.service.AfterCommit;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The keys applications evaluate flags with, each scoped to environments, like an SDK key per environment in
 * LaunchDarkly or a client token in Unleash. Evaluation checks a key in memory. On the replica that issues or revokes
 * a key, the change counts as soon as its transaction commits; the table is also read at startup and every few
 * seconds, so a key issued or revoked on another replica takes effect here within that time. Issuing and
 * revoking are events too ({@code ApiKeyIssued}, {@code ApiKeyRevoked}), written in the same transaction as the row,
 * so the log shows who gave which access and when; the secret and its hash stay in this service's table.
 */
@ApplicationScoped
public class ApiKeys implements PanacheRepositoryBase<ApiKeyEntity, String> {

    /** Every secret starts with this, so that a leaked one is easy to recognise in logs and secret scanners. */
    static final String SECRET_PREFIX = "twostep_ofrep_";

    private final SecureRandom random = new SecureRandom();
    private final CommandPath commands;
    private final AfterCommit afterCommit;
    /** Live keys: the secret's hash to the environments it may evaluate. Replaced whole, never edited. */
    private volatile Map<String, Set<String>> scopesByHash = Map.of();
    /**
     * Held while the live keys are read from the table and replaced, and while a committed issue or revocation is
     * applied to them, so that a reload that read the table before the commit cannot write over the change after it.
     */
    private final Object replacingScopes = new Object();

    ApiKeys(CommandPath commands, AfterCommit afterCommit) {
        this.commands = commands;
        this.afterCommit = afterCommit;
    }

    /** A key as listed: never its secret. */
    public record ApiKeyView(String id, String name, Set<String> environments, String issuedBy, String issuedAt,
                             String revokedBy, String revokedAt) {

        static ApiKeyView of(ApiKeyEntity row) {
            return new ApiKeyView(row.keyId, row.name, new TreeSet<>(row.environmentSet()), row.issuedBy,
                    row.issuedAt.toString(), row.revokedBy, row.revokedAt == null ? null : row.revokedAt.toString());
        }
    }

    /** A newly issued key; the only time its secret is shown. */
    public record IssuedKey(String id, String name, Set<String> environments, String key) {
    }

    public IssuedKey issue(String name, Set<String> environments, String actor) {
        return commands.call(() -> {
            String secret = SECRET_PREFIX + newToken(24);
            ApiKeyEntity row = new ApiKeyEntity();
            row.keyId = "key-" + newToken(6);
            row.name = name;
            row.secretHash = hash(secret);
            row.environments = String.join(",", new TreeSet<>(environments));
            row.issuedBy = actor;
            row.issuedAt = Instant.now();
            // The row, not the event, holds the secret's hash: it is written here, and the new stream projects nothing.
            persist(row);
            commands.append(Map.of(row.keyId, 0L), List.of(new ApiKeyIssued(row.keyId, name,
                    List.copyOf(new TreeSet<>(environments)))), EventMetadata.startedBy(actor), issued -> { });
            Set<String> scope = row.environmentSet();
            afterCommit.run(() -> changeScopes(scopes -> scopes.put(row.secretHash, scope)));
            return new IssuedKey(row.keyId, name, new TreeSet<>(environments), secret);
        });
    }

    /** Revokes once: a second revocation, even at the same moment, changes nothing and answers the key as revoked. */
    public ApiKeyView revoke(String keyId, String actor) {
        return commands.call(() -> {
            ApiKeyEntity row = findByIdOptional(keyId)
                    .orElseThrow(() -> ProblemException.notFound("no API key " + keyId));
            commands.decide(keyId,
                    (List<AccessEvent> history) -> history.stream().anyMatch(ApiKeyRevoked.class::isInstance),
                    revoked -> revoked ? List.<AccessEvent>of() : List.of(new ApiKeyRevoked(keyId, row.name)),
                    EventMetadata.startedBy(actor), revocation -> {
                        row.revokedBy = actor;
                        row.revokedAt = revocation.time();
                    });
            String revokedHash = row.secretHash;
            afterCommit.run(() -> changeScopes(scopes -> scopes.remove(revokedHash)));
            return ApiKeyView.of(row);
        });
    }

    public List<ApiKeyView> list() {
        return listAll().stream().map(ApiKeyView::of).toList();
    }

    /** The environments {@code secret} may evaluate in, if it is a live key. Memory only: this is the hot path. */
    public Optional<Set<String>> scopeOf(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return Optional.empty();
        }
        return Optional.ofNullable(scopesByHash.get(hash(secret)));
    }

    /** Before the service reports ready, so that no application is refused for a key that exists. */
    void loadAtStart(@Observes StartupEvent started) {
        reload();
    }

    @Scheduled(every = "${twostep.ofrep.api-keys.refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void reload() {
        synchronized (replacingScopes) {
            scopesByHash = find("revokedAt is null").stream()
                    .collect(Collectors.toUnmodifiableMap(row -> row.secretHash, ApiKeyEntity::environmentSet,
                            (a, b) -> a));
        }
    }

    /** Applies one committed change to the live keys, so that it counts here at once, before the next reload. */
    private void changeScopes(Consumer<Map<String, Set<String>>> change) {
        synchronized (replacingScopes) {
            Map<String, Set<String>> scopes = new HashMap<>(scopesByHash);
            change.accept(scopes);
            scopesByHash = Map.copyOf(scopes);
        }
    }

    private String newToken(int bytes) {
        byte[] token = new byte[bytes];
        random.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
