package org.prune4j.report;

/**
 * The width of a heat map's colour bands: a round number (1, 2, 2.5 or 5 times a power of ten) chosen so that a
 * fixed number of bands just covers the largest value. Round widths give legend labels such as "0% - 5%",
 * "5% - 10%" instead of "0% - 6.13%".
 */
final class HeatMapBands {

    private static final double[] ROUND_STEPS = {1, 2, 2.5, 5};

    private HeatMapBands() {
    }

    /**
     * The smallest round width {@code w} with {@code bands * w >= max}.
     *
     * @param max   the largest value to cover, at least 0 (0 gives the smallest width, 0.01)
     * @param bands the number of bands, at least 1
     * @throws IllegalArgumentException for a negative or non-finite max, or fewer than 1 band
     */
    static double width(double max, int bands) {
        if (!(max >= 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("max " + max + " is not a finite value >= 0");
        }
        if (bands < 1) {
            throw new IllegalArgumentException("bands " + bands + " is not at least 1");
        }
        double needed = Math.max(max / bands, 0.01);
        double decade = Math.pow(10, Math.floor(Math.log10(needed)));
        for (double step : ROUND_STEPS) {
            // The tolerance keeps 5.000000001 (a float sum) from jumping to the next decade.
            if (step * decade >= needed * (1 - 1e-9)) {
                return step * decade;
            }
        }
        return 10 * decade;
    }
}
