package org.prune4j.method;

/** One-line checks shared by the method builders; each message names the value and the accepted range. */
final class Validate {

    private Validate() {}

    static double sparsity(String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(what + " " + value + " is outside [0, 1)");
        }
        return value;
    }

    static long positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " " + value + " must be at least 1");
        }
        return value;
    }

    static double nonNegative(String what, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " " + value + " must be a finite number >= 0");
        }
        return value;
    }
}
