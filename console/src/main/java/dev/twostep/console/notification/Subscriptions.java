package dev.twostep.console.notification;

import dev.twostep.problems.Problem.Violation;
import dev.twostep.problems.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Subscribing, listing and unsubscribing; every refusal names its field and changes nothing. */
@ApplicationScoped
public class Subscriptions {

    static final int MAX_TYPES = 20;
    static final int MAX_ENVIRONMENTS = 50;
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final AgroalDataSource dataSource;
    private final TargetRules targets;
    private final NotificationMetrics metrics;
    private final Clock clock;

    Subscriptions(AgroalDataSource dataSource, NotificationConfig config, NotificationMetrics metrics, Clock clock) {
        this.dataSource = dataSource;
        this.targets = TargetRules.resolvingWithTheSystem(config.allowPrivateTargets());
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What a subscriber asks for, as it came. */
    public record Request(String url, List<String> types, List<String> environments, String format) {
    }

    /** A subscription as the API shows it, with how its deliveries stand; never its secret. */
    public record View(UUID id, String url, List<String> types, List<String> environments, String format,
                       String createdBy, Instant createdAt, long pending, long delivered, long deadLettered) {

        /** The URL cut to its origin: a webhook URL is often itself the receiver's credential (Slack's are). */
        public View withUrlRedacted() {
            java.net.URI uri = java.net.URI.create(url);
            String origin = uri.getScheme() + "://" + uri.getRawAuthority();
            return new View(id, origin + "/…", types, environments, format, createdBy, createdAt, pending, delivered,
                    deadLettered);
        }
    }

    /** A new subscription and its signing secret, which is shown here and never again. */
    public record Created(View subscription, String secret) {
    }

    @Transactional
    public Created subscribe(Request request, String createdBy) {
        Valid valid = validate(request);
        UUID id = UUID.randomUUID();
        String secret = Signature.newSecret();
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_subscription"
                     + " (id, url, types, environments, format, secret, created_by, created_at)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, valid.url());
            insert.setArray(3, connection.createArrayOf("text", valid.types().toArray()));
            insert.setArray(4, connection.createArrayOf("text", valid.environments().toArray()));
            insert.setString(5, valid.format().wireName());
            insert.setString(6, secret);
            insert.setString(7, createdBy);
            insert.setObject(8, now.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store subscription " + id, e);
        }
        metrics.subscribed(valid.format());
        return new Created(new View(id, valid.url(), List.copyOf(valid.types()), List.copyOf(valid.environments()),
                valid.format().wireName(), createdBy, now, 0, 0, 0), secret);
    }

    @Transactional
    public List<View> list() {
        return views("", null);
    }

    @Transactional
    public Optional<View> find(UUID id) {
        return views(" WHERE s.id = ?", id).stream().findFirst();
    }

    /** @return whether there was such a subscription; its pending deliveries go with it */
    @Transactional
    public boolean unsubscribe(UUID id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM notification_subscription WHERE id = ?")) {
            delete.setObject(1, id);
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete subscription " + id, e);
        }
    }

    /** Every subscription, for matching a consumed event on the connection of its transaction. */
    List<Subscription> all(Connection connection) throws SQLException {
        List<Subscription> all = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, url, types, environments, format,"
                + " created_at FROM notification_subscription");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                all.add(new Subscription(rows.getObject("id", UUID.class), rows.getString("url"),
                        Set.of(strings(rows.getArray("types"))), Set.of(strings(rows.getArray("environments"))),
                        Format.ofWireName(rows.getString("format")).orElseThrow(),
                        rows.getTimestamp("created_at").toInstant()));
            }
        }
        return all;
    }

    private List<View> views(String where, UUID id) {
        String sql = "SELECT s.id, s.url, s.types, s.environments, s.format, s.created_by, s.created_at,"
                + " count(d.id) FILTER (WHERE d.state = 'pending') AS pending,"
                + " count(d.id) FILTER (WHERE d.state = 'delivered') AS delivered,"
                + " count(d.id) FILTER (WHERE d.state = 'dead') AS dead"
                + " FROM notification_subscription s LEFT JOIN notification_delivery d ON d.subscription_id = s.id"
                + where + " GROUP BY s.id ORDER BY s.created_at, s.id";
        List<View> views = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            if (id != null) {
                select.setObject(1, id);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    views.add(new View(rows.getObject("id", UUID.class), rows.getString("url"),
                            List.of(strings(rows.getArray("types"))), List.of(strings(rows.getArray("environments"))),
                            rows.getString("format"), rows.getString("created_by"),
                            rows.getTimestamp("created_at").toInstant(), rows.getLong("pending"),
                            rows.getLong("delivered"), rows.getLong("dead")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read subscriptions", e);
        }
        return views;
    }

    private record Valid(String url, Set<String> types, Set<String> environments, Format format) {
    }

    /** Every field checked, every refusal collected, so one answer names all that is wrong. */
    private Valid validate(Request request) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required: {url, types, environments, format}");
        }
        List<Violation> violations = new ArrayList<>();
        targets.refusal(request.url()).ifPresent(rule -> violations.add(new Violation("url", rule)));
        Set<String> types = new LinkedHashSet<>();
        if (request.types() == null || request.types().isEmpty()) {
            violations.add(new Violation("types", "must name at least one event type, of " + known()));
        } else if (request.types().size() > MAX_TYPES) {
            violations.add(new Violation("types", "must name at most " + MAX_TYPES + " types"));
        } else {
            for (int i = 0; i < request.types().size(); i++) {
                String type = request.types().get(i);
                if (type == null || !NotificationTypes.ALL.contains(type)) {
                    violations.add(new Violation("types[" + i + "]", "must be one of " + known()));
                } else {
                    types.add(type);
                }
            }
        }
        Set<String> environments = new LinkedHashSet<>();
        List<String> asked = request.environments() == null ? List.of() : request.environments();
        if (asked.size() > MAX_ENVIRONMENTS) {
            violations.add(new Violation("environments", "must name at most " + MAX_ENVIRONMENTS
                    + " environments (none for every environment)"));
        } else {
            for (int i = 0; i < asked.size(); i++) {
                String environment = asked.get(i);
                if (environment == null || !ENVIRONMENT.matcher(environment).matches()) {
                    violations.add(new Violation("environments[" + i + "]",
                            "must be an environment name: lower-case letters, digits and -, at most 63"));
                } else {
                    environments.add(environment);
                }
            }
        }
        Optional<Format> format = request.format() == null ? Optional.empty() : Format.ofWireName(request.format());
        if (format.isEmpty()) {
            violations.add(new Violation("format", "must be one of cloudevents, slack"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(400, "Invalid subscription", String.join("; ", violations.stream()
                    .map(v -> v.field() + ": " + v.rule()).toList()), violations);
        }
        return new Valid(request.url(), types, environments, format.orElseThrow());
    }

    private static String known() {
        return String.join(", ", NotificationTypes.ALL.stream().sorted().toList());
    }

    private static String[] strings(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        return Arrays.copyOf(values, values.length, String[].class);
    }
}
