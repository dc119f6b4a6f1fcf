package org.prune4j.bench;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.Locale;

/**
 * The table every benchmark prints: one row per measure, the median over the blocks with their min and
 * max, and the verdict against a target where there is one ("<= 3% ok", "<= 3% ABOVE"). The verdict is
 * on the median.
 */
final class BenchTable {

    private final String title;
    private final StringColumn model = StringColumn.create("model");
    private final StringColumn measure = StringColumn.create("measure");
    private final StringColumn unit = StringColumn.create("unit");
    private final DoubleColumn median = DoubleColumn.create("median");
    private final DoubleColumn min = DoubleColumn.create("min");
    private final DoubleColumn max = DoubleColumn.create("max");
    private final StringColumn target = StringColumn.create("target");

    BenchTable(String title) {
        this.title = title;
    }

    /** A row without a target. */
    BenchTable add(String modelName, String measureName, String unitName, double[] perBlock) {
        return add(modelName, measureName, unitName, perBlock, null, "");
    }

    /**
     * A row whose median must be at most {@code limit} ({@code label} names it, e.g. "<= 3%"); a null
     * limit means no target.
     */
    BenchTable add(String modelName, String measureName, String unitName, double[] perBlock, Double limit, String label) {
        double middle = median(perBlock);
        model.append(modelName);
        measure.append(measureName);
        unit.append(unitName);
        median.append(round(middle));
        min.append(round(Arrays.stream(perBlock).min().orElse(Double.NaN)));
        max.append(round(Arrays.stream(perBlock).max().orElse(Double.NaN)));
        target.append(limit == null ? "" : label + (middle <= limit ? " ok" : " ABOVE"));
        return this;
    }

    Table table() {
        return Table.create(title, model, measure, unit, median, min, max, target);
    }

    /** The median; the mean of the middle two for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Each value times {@code factor} (ns to ms, ratios to percent). */
    static double[] scaled(double[] values, double factor) {
        return Arrays.stream(values).map(x -> x * factor).toArray();
    }

    /** "<= 3%" for a limit of 3. */
    static String atMost(double limit, String unitSuffix) {
        return String.format(Locale.ROOT, "<= %s%s", limit == Math.rint(limit) ? String.valueOf((long) limit) : String.valueOf(limit),
                unitSuffix);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
