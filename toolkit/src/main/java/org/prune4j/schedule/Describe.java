package org.prune4j.schedule;

import java.math.BigDecimal;

/** Number formatting shared by the {@code describe()} texts of this package. */
final class Describe {

    private Describe() {
    }

    /**
     * A value with at least two decimals ({@code 0.90}) but all the digits it needs ({@code 0.005}),
     * so a describe() text never rounds a small drop rate to zero.
     */
    static String value(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        if (d.scale() < 2) {
            d = d.setScale(2);
        }
        return d.toPlainString();
    }

    /** A power as {@code 3} when it is whole, else as {@code 2.5}. */
    static String power(double p) {
        return p == Math.rint(p) && Math.abs(p) < 1e15 ? Long.toString((long) p) : Double.toString(p);
    }
}
