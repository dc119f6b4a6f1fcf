package org.prune4j.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A paper-style results table from the runs of a sweep: one row per setting (method and target sparsity),
 * one accuracy column per seed, their mean and standard deviation, and the measured sparsity; and its
 * Markdown rendering for docs. Accuracies are end-of-training test accuracies, never the best on test.
 */
public final class ResultsTable {

    private ResultsTable() {}

    /**
     * Groups runs by setting.
     *
     * @param runs one row per run with a string column {@code setting} and numeric columns
     *             {@code targetSparsity}, {@code seed}, {@code measuredSparsity} and {@code testAccuracy};
     *             settings keep the order of their first run
     * @return columns setting, targetSparsity, measuredSparsity (mean over seeds), one "seed N" column per
     *         seed (missing where that seed has no run), meanAccuracy and stdAccuracy (sample standard
     *         deviation; 0 for a single seed)
     */
    public static Table perSetting(Table runs) {
        StringColumn setting = runs.stringColumn("setting");
        NumericColumn<?> target = numeric(runs, "targetSparsity");
        NumericColumn<?> seed = numeric(runs, "seed");
        NumericColumn<?> measured = numeric(runs, "measuredSparsity");
        NumericColumn<?> accuracy = numeric(runs, "testAccuracy");
        TreeSet<Long> seeds = new TreeSet<>();
        Map<String, List<Integer>> rowsOf = new LinkedHashMap<>();
        for (int row = 0; row < runs.rowCount(); row++) {
            seeds.add(Math.round(seed.getDouble(row)));
            rowsOf.computeIfAbsent(setting.get(row) + "\u0000" + target.getDouble(row), k -> new ArrayList<>()).add(row);
        }
        Table table = Table.create(runs.name(), StringColumn.create("setting"), DoubleColumn.create("targetSparsity"),
                DoubleColumn.create("measuredSparsity"));
        for (long s : seeds) {
            table.addColumns(DoubleColumn.create("seed " + s));
        }
        table.addColumns(DoubleColumn.create("meanAccuracy"), DoubleColumn.create("stdAccuracy"));
        for (List<Integer> rows : rowsOf.values()) {
            int first = rows.get(0);
            Row out = table.appendRow();
            out.setString("setting", setting.get(first));
            out.setDouble("targetSparsity", target.getDouble(first));
            double[] accuracies = rows.stream().mapToDouble(accuracy::getDouble).toArray();
            out.setDouble("measuredSparsity", rows.stream().mapToDouble(measured::getDouble).average().orElse(Double.NaN));
            for (long s : seeds) {
                rows.stream().filter(r -> Math.round(seed.getDouble(r)) == s).findFirst()
                        .ifPresentOrElse(r -> out.setDouble("seed " + s, accuracy.getDouble(r)),
                                () -> out.setMissing("seed " + s));
            }
            out.setDouble("meanAccuracy", mean(accuracies));
            out.setDouble("stdAccuracy", sampleStd(accuracies));
        }
        return table;
    }

    /** The mean of the values; NaN for none. */
    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    /** The sample standard deviation (n - 1 in the denominator); 0 for a single value. */
    static double sampleStd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }

    /**
     * A GitHub-flavoured Markdown table: a header row, then one row per table row; numbers with the given
     * decimals, missing values as an em dash. Tablesaw writes CSV, HTML and text, but no Markdown.
     */
    public static String markdown(Table table, int decimals) {
        StringBuilder text = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (Column<?> column : table.columns()) {
            text.append(' ').append(column.name()).append(" |");
            rule.append(column instanceof NumericColumn ? "---:|" : "---|");
        }
        text.append('\n').append(rule).append('\n');
        String format = "%." + decimals + "f";
        for (int row = 0; row < table.rowCount(); row++) {
            text.append('|');
            for (Column<?> column : table.columns()) {
                String cell;
                if (column.isMissing(row)) {
                    cell = "\u2014";
                } else if (column instanceof NumericColumn<?> numeric) {
                    cell = String.format(Locale.ROOT, format, numeric.getDouble(row));
                } else {
                    cell = column.getString(row);
                }
                text.append(' ').append(cell).append(" |");
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static NumericColumn<?> numeric(Table table, String name) {
        Column<?> column = table.column(name);
        if (!(column instanceof NumericColumn<?> numeric)) {
            throw new IllegalArgumentException("column '" + name + "' of table '" + table.name() + "' is not numeric");
        }
        return numeric;
    }
}
