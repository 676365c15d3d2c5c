package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Forecast;

import java.math.BigDecimal;
import java.math.MathContext;
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

    /**
     * What a step still needs, for example {@code needs about 2,400 more requests, 40 min at the current 1 req/s}.
     * Two significant figures: a forecast is an estimate, and more digits would claim a precision it lacks.
     */
    static String forecast(Forecast forecast) {
        if (forecast.moreTreatmentRequests() == 0) {
            return forecast.seconds() == null || forecast.seconds() == 0 ? "has the requests it needs"
                    : "has the requests it needs, " + roughDuration(forecast.seconds()) + " of its minimum left";
        }
        String requests = "needs about " + count(twoFigures(forecast.moreTreatmentRequests())) + " more requests";
        if (forecast.seconds() == null) {
            return requests + ", and the treatment has had no traffic to time it by";
        }
        return requests + ", " + roughDuration(forecast.seconds()) + " at the current "
                + new BigDecimal(forecast.treatmentRequestsPerSecond()).round(new MathContext(2))
                .stripTrailingZeros().toPlainString() + " req/s";
    }

    /** {@code 45 s}, {@code 40 min}, {@code 3.5 h}, {@code 12 days}: the unit a person would say. */
    static String roughDuration(long seconds) {
        if (seconds < 90) {
            return seconds + " s";
        }
        if (seconds < 90 * 60) {
            return Math.round(seconds / 60.0) + " min";
        }
        if (seconds < 48 * 3600) {
            return BigDecimal.valueOf(seconds / 3600.0).round(new MathContext(2)).stripTrailingZeros().toPlainString()
                    + " h";
        }
        return count(Math.round(seconds / 86400.0)) + " days";
    }

    private static long twoFigures(long value) {
        return new BigDecimal(value).round(new MathContext(2)).longValue();
    }
}
