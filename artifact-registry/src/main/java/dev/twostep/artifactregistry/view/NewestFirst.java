package dev.twostep.artifactregistry.view;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders versions newest first: by SemVer 2.0 precedence where both versions are SemVer (so a
 * hotfix 1.3.3 published after 1.4.0 still sorts below it), otherwise by publish time.
 */
public final class NewestFirst implements Comparator<ArtefactView> {

    private static final Pattern SEMVER = Pattern.compile(
            "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");

    @Override
    public int compare(ArtefactView left, ArtefactView right) {
        Matcher a = SEMVER.matcher(left.version());
        Matcher b = SEMVER.matcher(right.version());
        if (a.matches() && b.matches()) {
            return -precedence(a, b);
        }
        return right.publishedAt().compareTo(left.publishedAt());
    }

    private static int precedence(Matcher a, Matcher b) {
        for (int group = 1; group <= 3; group++) {
            int byNumber = new BigInteger(a.group(group)).compareTo(new BigInteger(b.group(group)));
            if (byNumber != 0) {
                return byNumber;
            }
        }
        return comparePreRelease(a.group(4), b.group(4));
    }

    /** A release outranks its pre-releases; pre-release identifiers compare numerically or lexically. */
    private static int comparePreRelease(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            boolean leftNumeric = left[i].matches("\\d+");
            boolean rightNumeric = right[i].matches("\\d+");
            int order = leftNumeric && rightNumeric ? new BigInteger(left[i]).compareTo(new BigInteger(right[i]))
                    : leftNumeric ? -1 : rightNumeric ? 1 : left[i].compareTo(right[i]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.length, right.length);
    }
}
