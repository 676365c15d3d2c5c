package dev.twostep.console.suspects;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Ranks the changes before a moment by how likely each is to explain what users saw then:
 * {@code score = breadth × recency}.
 * <ul>
 *   <li><b>breadth</b> (0 to 1) is the share of users whose experience the change altered: for an audience change the
 *       difference of the percentages (10 % → 50 % is 0.40; only listed users changed is 0.01), for a feature rolled
 *       back the audience it had, for a new version {@value #NEW_VERSION} (the code every user runs changed, but
 *       how much of it they see is unknown, and its flagged features stay dark until released, which is scored as
 *       their own audience changes), for a flag definition set by hand or rewritten for a segment {@value #DEFINITION}
 *       (its rules may reach anyone; a named variant's rollout step is scored by its share, as an audience step),
 *       for the same version again {@value #SAME_VERSION} (a restart), for a failed
 *       attempt {@value #FAILED_ATTEMPT}, for a revoked API key {@value #KEY_REVOKED} (its clients fall back to
 *       flag defaults), for an environment's rules {@value #ENVIRONMENT} and a new API key {@value #KEY_ISSUED}.
 *       Rollout starts and ends, decisions and approvals change nobody's experience by themselves (0): the step a
 *       decision causes is an audience change of its own.</li>
 *   <li><b>recency</b> is {@code 0.5^(age / half-life)} with a half-life of {@link #HALF_LIFE} (10 minutes): a change
 *       made just before the moment counts fully, one made 10 minutes earlier half.</li>
 * </ul>
 * So a flag step from 10 % to 50 % five minutes before (0.40 × 0.71 = 0.28) outranks a deploy behind a closed flag
 * one minute before (0.25 × 0.93 = 0.23). Equal scores rank the newer change first, then by event id, so the ranking
 * is stable for the same changes. Every suspect carries its score's explanation in words.
 */
public final class Ranking {

    public static final Duration HALF_LIFE = Duration.ofMinutes(10);
    static final double NEW_VERSION = 0.25;
    static final double DEFINITION = 0.25;
    static final double SAME_VERSION = 0.05;
    static final double FAILED_ATTEMPT = 0.10;
    static final double KEY_REVOKED = 0.10;
    static final double ENVIRONMENT = 0.05;
    static final double KEY_ISSUED = 0.01;
    static final double USERS_ONLY = 0.01;

    private Ranking() {
    }

    /** A change with its rank (1 is the most suspect), its score and why. */
    public record Suspect(Change change, int rank, double score, double breadth, double recency, String explanation) {
    }

    /** Ranks the changes (all at or before {@code at}); the answer lists them newest first, each with its rank. */
    public static List<Suspect> rank(Instant at, List<Change> changes) {
        List<Suspect> scored = new ArrayList<>();
        for (Change change : changes) {
            Breadth breadth = breadthOf(change);
            Duration age = Duration.between(change.at(), at);
            double recency = Math.pow(0.5, (double) age.toMillis() / HALF_LIFE.toMillis());
            double score = breadth.value() * recency;
            String explanation = String.format(Locale.ROOT, "%s: breadth %.2f × recency %.2f (%s before, half-life %s)"
                    + " = %.3f", breadth.why(), breadth.value(), recency, words(age), words(HALF_LIFE), score);
            scored.add(new Suspect(change, 0, score, breadth.value(), recency, explanation));
        }
        Comparator<Suspect> newestFirst = Comparator.comparing((Suspect s) -> s.change().at()).reversed()
                .thenComparing(s -> s.change().eventId());
        List<Suspect> byScore = scored.stream()
                .sorted(Comparator.comparingDouble(Suspect::score).reversed().thenComparing(newestFirst)).toList();
        List<Suspect> ranked = new ArrayList<>();
        for (int i = 0; i < byScore.size(); i++) {
            Suspect s = byScore.get(i);
            ranked.add(new Suspect(s.change(), i + 1, s.score(), s.breadth(), s.recency(), s.explanation()));
        }
        ranked.sort(newestFirst);
        return ranked;
    }

    private record Breadth(double value, String why) {
    }

    private static Breadth breadthOf(Change change) {
        return switch (change.kind()) {
            case DEPLOYED -> change.version().equals(change.previousVersion())
                    ? new Breadth(SAME_VERSION, "the same version " + change.version() + " again (a restart)")
                    : new Breadth(NEW_VERSION, "version " + change.version() + " runs for every user"
                    + (change.previousVersion() == null ? "" : " instead of " + change.previousVersion())
                    + "; its flagged features stay dark until released");
            case DEPLOY_FAILED -> new Breadth(FAILED_ATTEMPT, "deployment of " + change.version()
                    + " failed; what ran may have been disturbed");
            case AUDIENCE_CHANGED, ROLLOUT_STEP -> audience(change);
            case DEFINITION_SET -> new Breadth(DEFINITION, change.featureKey() + "'s flag definition changed; whom its"
                    + " rules reach is not in the event");
            case FEATURE_ROLLED_BACK -> {
                double before = change.percentage() == null ? 0 : change.percentage();
                yield before > 0
                        ? new Breadth(before / 100, change.featureKey() + " switched off for the "
                        + percent(before) + " who had it")
                        : new Breadth(USERS_ONLY, change.featureKey() + " switched off for its listed users");
            }
            case API_KEY_REVOKED -> new Breadth(KEY_REVOKED, "an API key was revoked; its clients get flag defaults");
            case API_KEY_ISSUED -> new Breadth(KEY_ISSUED, "a new API key may evaluate flags");
            case ENVIRONMENT_DEFINED -> new Breadth(ENVIRONMENT, "the environment's rules or target changed");
            case DEPLOY_ROLLED_BACK -> new Breadth(0, "a rollback; its version change is scored on its deployment");
            case ROLLOUT_STARTED, ROLLOUT_COMPLETED, ROLLOUT_ABORTED, DECISION, PROMOTION_APPROVED ->
                    new Breadth(0, "changes no user's experience by itself");
        };
    }

    private static Breadth audience(Change change) {
        double before = change.previousPercentage() == null ? 0 : change.previousPercentage();
        double after = change.percentage() == null ? 0 : change.percentage();
        double moved = Math.abs(after - before) / 100;
        String what = change.featureKey() + " " + percent(before) + " → " + percent(after);
        if (moved > 0) {
            return new Breadth(moved, what + ": " + percent(Math.abs(after - before)) + " of users changed");
        }
        return change.usersChanged() ? new Breadth(USERS_ONLY, what + ": only listed users changed")
                : new Breadth(0, what + ": nobody changed");
    }

    private static String percent(double value) {
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "%";
    }

    private static String words(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        long rest = seconds % 60;
        if (minutes < 60) {
            return rest == 0 ? minutes + "m" : minutes + "m " + rest + "s";
        }
        return (minutes / 60) + "h " + (minutes % 60) + "m";
    }
}
