package dev.twostep.rolloutanalyzer.decision;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** How numbers read in a verdict's summary. Locale.ROOT, so a summary does not depend on the server's locale. */
final class EvidenceText {

    private EvidenceText() {
    }

    /** An error rate given as a proportion: {@code 2.1%}, or {@code 0.45%} below one percent so it is not all zeros. */
    static String rate(double proportion) {
        double percent = proportion * 100;
        return String.format(Locale.ROOT, percent < 1 ? "%.2f%%" : "%.1f%%", percent);
    }

    /**
     * A difference of proportions in signed percentage points. Two decimals, so a bound just under the
     * threshold never reads as equal to it.
     */
    static String signedPercentagePoints(double proportion) {
        return String.format(Locale.ROOT, "%+.2fpp", proportion * 100);
    }

    /** A plan's own value, as the plan wrote it: {@code 0.5pp}. */
    static String percentagePoints(double percentagePoints) {
        return BigDecimal.valueOf(percentagePoints).stripTrailingZeros().toPlainString() + "pp";
    }

    /** A confidence level: {@code 0.95} reads {@code 95%}. */
    static String percent(double fraction) {
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@code 1h5m}, {@code 5m}, {@code 45s}. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0 || text.isEmpty()) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }
}
