package dev.twostep.releasecontroller.rest;

import dev.twostep.problems.ProblemException;

import java.math.BigDecimal;

/** Percentages are kept in steps of 0.001, the resolution of the 100,000 buckets. */
final class Percentages {

    private Percentages() {
    }

    static double check(String field, BigDecimal percentage) {
        if (percentage.stripTrailingZeros().scale() > 3) {
            throw ProblemException.invalid(field, "must be in steps of 0.001 (at most 3 decimals)");
        }
        return percentage.doubleValue();
    }
}
