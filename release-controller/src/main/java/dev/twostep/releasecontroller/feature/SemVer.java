package dev.twostep.releasecontroller.feature;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0) for flagd's {@code sem_ver}: {@code = != < <= > >=} by precedence
 * (build metadata ignored), {@code ^} same major version, {@code ~} same major and minor version.
 */
record SemVer(long major, long minor, long patch, List<String> preRelease) implements Comparable<SemVer> {

    static final Set<String> OPERATORS = Set.of("=", "!=", "<", "<=", ">", ">=", "^", "~");

    private static final Pattern FORM = Pattern.compile("(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?");

    /** Null when the text is not a semantic version, or is longer than any real one. */
    static SemVer parse(String text) {
        if (text.length() > 256) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return new SemVer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), pre);
    }

    boolean satisfies(String operator, SemVer other) {
        int order = compareTo(other);
        return switch (operator) {
            case "=" -> order == 0;
            case "!=" -> order != 0;
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            case ">=" -> order >= 0;
            case "^" -> major == other.major;
            case "~" -> major == other.major && minor == other.minor;
            default -> throw new IllegalArgumentException(operator);
        };
    }

    @Override
    public int compareTo(SemVer other) {
        int core = major != other.major ? Long.compare(major, other.major)
                : minor != other.minor ? Long.compare(minor, other.minor) : Long.compare(patch, other.patch);
        if (core != 0) {
            return core;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            String a = preRelease.get(i);
            String b = other.preRelease.get(i);
            boolean aNumeric = a.chars().allMatch(Character::isDigit);
            boolean bNumeric = b.chars().allMatch(Character::isDigit);
            int order = aNumeric && bNumeric ? (a.length() != b.length() ? Integer.compare(a.length(), b.length())
                    : a.compareTo(b)) : aNumeric ? -1 : bNumeric ? 1 : a.compareTo(b);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }
}
