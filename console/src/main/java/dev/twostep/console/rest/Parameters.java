package dev.twostep.console.rest;

import dev.twostep.problems.Problem;
import dev.twostep.problems.ProblemException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Query parameters read strictly, each refusal a 400 (or 404) problem that names the parameter. */
public final class Parameters {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([smhd])");

    private Parameters() {
    }

    static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(name, "is required");
        }
        return value;
    }

    /** An RFC 3339 time, or {@code fallback} when absent. */
    public static Instant time(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be an RFC 3339 time such as 2026-11-20T10:07:00Z");
        }
    }

    /** A positive duration: {@code 30m}, {@code 2h}, {@code 7d}, {@code 45s} or ISO 8601 ({@code PT30M}). */
    public static Duration duration(String name, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Duration duration;
        Matcher shorthand = SHORT_DURATION.matcher(value);
        if (shorthand.matches()) {
            long amount = Long.parseLong(shorthand.group(1));
            duration = switch (shorthand.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid(name, "must be a duration such as 30m, 2h, 7d or PT30M");
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw ProblemException.invalid(name, "must be longer than zero");
        }
        return duration;
    }

    static boolean flag(String name, String value) {
        if (value == null || value.isBlank() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ProblemException.invalid(name, "must be true or false");
    }

    /** The window may be at most {@code longest}: longer ones would answer from more history than is served. */
    static void notLongerThan(String name, Duration window, Duration longest) {
        if (window.compareTo(longest) > 0) {
            throw ProblemException.invalid(name, "the window of " + window + " is longer than the longest served, "
                    + longest + " (twostep.console.max-window)");
        }
    }

    static ProblemException unknown(String name, String value, String why) {
        return new ProblemException(404, "Not found", name + " '" + value + "' is unknown: " + why,
                List.of(new Problem.Violation(name, "unknown")));
    }
}
