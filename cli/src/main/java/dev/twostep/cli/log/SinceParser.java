package dev.twostep.cli.log;


import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** {@code --since}: an RFC 3339 time, or a duration back from now such as {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}. */
public final class SinceParser {

    private SinceParser() {
    }

    public static Instant parse(String since, Instant now) {
        if (since == null) {
            return null;
        }
        if (since.matches("\\d+[smhd]")) {
            long amount = Long.parseLong(since.substring(0, since.length() - 1));
            Duration back = switch (since.toLowerCase(Locale.ROOT).charAt(since.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(back);
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since must be an RFC 3339 time (2026-11-22T10:00:00Z) "
                    + "or a duration back from now (90s, 10m, 2h, 1d), not " + since);
        }
    }
}
