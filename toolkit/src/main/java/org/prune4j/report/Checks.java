package org.prune4j.report;

import java.util.Locale;

/**
 * One-line argument checks shared by the report values. Every message names the field, the bad value
 * and the accepted range, so a wrong number in a long sweep is found from the exception alone.
 */
final class Checks {

    private Checks() {}

    static double unit(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) { // also rejects NaN
            throw new IllegalArgumentException(name + " " + show(value) + " outside [0,1]");
        }
        return value;
    }

    static double nonNegative(String name, double value) {
        if (!(value >= 0.0) || Double.isInfinite(value)) { // also rejects NaN
            throw new IllegalArgumentException(name + " " + show(value) + " outside [0,inf)");
        }
        return value;
    }

    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " " + value + " outside [0,inf)");
        }
        return value;
    }

    static String text(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank string, got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    static String show(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%s", value);
    }
}
