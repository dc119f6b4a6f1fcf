package org.prune4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * XChart charts of runs and sweeps, all 800x500 in one clean style. Every method builds a new chart from
 * its arguments; there is no global state. Charts can be changed further with XChart's own API before
 * they are shown, saved with {@link #savePng} or turned into an image with {@link #image}.
 *
 * <p>Loading this class sets {@code java.awt.headless=true} unless the property is already set, because
 * charts are usually rendered on servers and CI machines without a display. Start the JVM with
 * {@code -Djava.awt.headless=false} to show charts in Swing windows.
 */
public final class Charts {

    static {
        // Must run before AWT initialises; CI and notebook servers have no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Beyond this many points markers turn into a blur, so long series are drawn as plain lines. */
    private static final int MAX_MARKED_POINTS = 40;

    /** Up to this many equally spaced x values each get a tick, as XChart does by default. */
    private static final int MAX_DATA_TICKS = 25;

    private Charts() {}

    /**
     * Test and train accuracy per epoch on the left axis, and sparsity per epoch (dashed) on a right
     * axis fixed to [0,1]. The title names the method, model and dataset.
     */
    public static XYChart training(Run run) {
        RunInfo info = run.info();
        String title = info.method() + " on " + info.model() + " (" + info.dataset() + ")"
                + (run.partial() ? ", stopped early" : "");
        XYChart chart = xyChart(title, "epoch", "accuracy");
        List<EpochStats> rows = run.historyRows();
        int n = rows.size();
        double[] epoch = new double[n];
        double[] test = new double[n];
        double[] train = new double[n];
        double[] sparsity = new double[n];
        for (int i = 0; i < n; i++) {
            epoch[i] = rows.get(i).epoch();
            test[i] = rows.get(i).testAccuracy();
            train[i] = rows.get(i).trainAccuracy();
            sparsity[i] = rows.get(i).sparsity();
        }
        integerTicks(chart);
        roundTicksForLongAxes(chart, epoch);
        if (n == 0) {
            return chart; // XChart refuses empty series; an empty plot with the title says enough.
        }
        boolean marked = n <= MAX_MARKED_POINTS;
        line(chart.addSeries("test accuracy", epoch, test), ChartStyle.BLUE, marked);
        line(chart.addSeries("train accuracy", epoch, train), ChartStyle.ORANGE, marked);
        XYSeries sparse = chart.addSeries("sparsity", epoch, sparsity);
        sparse.setYAxisGroup(1);
        sparse.setLineColor(ChartStyle.GREY);
        sparse.setLineStyle(ChartStyle.DASHED);
        sparse.setMarker(SeriesMarkers.NONE);
        chart.setYAxisGroupTitle(0, "accuracy");
        chart.setYAxisGroupTitle(1, "sparsity");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 1.0);
        return chart;
    }

    /** Density (fraction of weights kept) of every masked layer as bars on a [0,1] axis. */
    public static CategoryChart layerDensity(Run run) {
        RunInfo info = run.info();
        List<LayerStats> rows = run.layerRows();
        String title = String.format(Locale.ROOT, "Density per layer: %s on %s (overall %.3f)",
                info.method(), info.model(), 1.0 - run.measuredSparsity());
        CategoryChart chart = new CategoryChartBuilder()
                .width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT)
                .title(title).xAxisTitle("layer").yAxisTitle("density")
                .build();
        var styler = ChartStyle.apply(chart.getStyler());
        styler.setLegendVisible(false);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setAvailableSpaceFill(0.6);
        if (rows.isEmpty()) {
            return chart;
        }
        List<String> names = new ArrayList<>();
        List<Double> densities = new ArrayList<>();
        int longest = 0;
        for (LayerStats row : rows) {
            names.add(row.layer());
            densities.add(row.density());
            longest = Math.max(longest, row.layer().length());
        }
        // No value labels: they crowd deep models and the layers table has the exact numbers.
        if (rows.size() * Math.max(longest, 4) > 70) {
            styler.setXAxisLabelRotation(45); // slanted names keep long ones apart
        }
        chart.addSeries("density", names, densities).setFillColor(ChartStyle.BLUE);
        return chart;
    }

    /**
     * Test accuracy against measured sparsity, one line with markers per method, points sorted by sparsity.
     *
     * @param sweep a table with a method column and numeric columns measuredSparsity and testAccuracy (other
     *              columns, such as targetSparsity, are ignored); rows with a missing value are skipped
     * @throws IllegalArgumentException if a required column is missing or not numeric
     */
    public static XYChart tradeoff(Table sweep) {
        Objects.requireNonNull(sweep, "sweep");
        Column<?> method = column(sweep, "method");
        NumericColumn<?> sparsity = numeric(sweep, "measuredSparsity");
        NumericColumn<?> accuracy = numeric(sweep, "testAccuracy");
        // Methods keep the order of their first row, so colours follow the order the sweep was run in.
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (int row = 0; row < sweep.rowCount(); row++) {
            if (method.isMissing(row) || sparsity.isMissing(row) || accuracy.isMissing(row)) {
                continue;
            }
            points.computeIfAbsent(method.getString(row), k -> new ArrayList<>())
                    .add(new double[] {sparsity.getDouble(row), accuracy.getDouble(row)});
        }
        XYChart chart = xyChart("Test accuracy vs sparsity", "sparsity", "test accuracy");
        for (Map.Entry<String, List<double[]>> entry : points.entrySet()) {
            List<double[]> sorted = new ArrayList<>(entry.getValue());
            sorted.sort(Comparator.comparingDouble(p -> p[0]));
            double[] x = sorted.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = sorted.stream().mapToDouble(p -> p[1]).toArray();
            chart.addSeries(entry.getKey(), x, y).setLineStyle(ChartStyle.SOLID);
        }
        return chart;
    }

    /**
     * A plain line chart of one or more series over a shared x, for example a pruning schedule before
     * training with it.
     *
     * @param ys series name to y values, each as long as {@code x}; drawn in the map's iteration order
     * @throws IllegalArgumentException if {@code x} is empty or a series has a different length
     */
    public static XYChart series(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> ys) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(ys, "ys");
        if (x.length == 0) {
            throw new IllegalArgumentException("x has 0 points, need at least 1");
        }
        XYChart chart = xyChart(title, xLabel, yLabel);
        roundTicksForLongAxes(chart, x);
        boolean marked = x.length <= MAX_MARKED_POINTS;
        for (Map.Entry<String, double[]> entry : ys.entrySet()) {
            double[] y = Objects.requireNonNull(entry.getValue(), entry.getKey());
            if (y.length != x.length) {
                throw new IllegalArgumentException("series " + entry.getKey() + " has " + y.length
                        + " points, x has " + x.length);
            }
            XYSeries series = chart.addSeries(entry.getKey(), x.clone(), y.clone());
            series.setLineStyle(ChartStyle.SOLID);
            if (!marked) {
                series.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /**
     * Writes a chart as a PNG of the chart's own size (800x500 for charts made here), replacing
     * {@code file} atomically; the parent directory is created if missing.
     */
    public static void savePng(Chart<?, ?> chart, Path file) throws IOException {
        Objects.requireNonNull(chart, "chart");
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** The chart rendered at its own size, for display in a notebook. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(Objects.requireNonNull(chart, "chart"));
    }

    private static XYChart xyChart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder()
                .width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        ChartStyle.apply(chart.getStyler());
        return chart;
    }

    private static void line(XYSeries series, java.awt.Color color, boolean marked) {
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(ChartStyle.SOLID);
        if (!marked) {
            series.setMarker(SeriesMarkers.NONE);
        }
    }

    /**
     * XChart puts ticks on the data values themselves when the x values are equally spaced: fine for 20
     * epochs, but 1000 steps get crowded labels at odd values like 39, 78, 117. Padding the axis end by half
     * a step breaks the equal spacing, so XChart falls back to round ticks (0, 200, 400, ...).
     */
    private static void roundTicksForLongAxes(XYChart chart, double[] x) {
        if (x.length <= MAX_DATA_TICKS) {
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (max > min) {
            chart.getStyler().setXAxisMax(max + 0.5 * (max - min) / (x.length - 1));
        }
    }

    /** Epochs are whole numbers: label whole ticks only, so three epochs never show "1.5". */
    private static void integerTicks(XYChart chart) {
        chart.getStyler().setxAxisTickLabelsFormattingFunction(
                v -> v == Math.rint(v) ? Long.toString(Math.round(v)) : "");
    }

    private static Column<?> column(Table table, String name) {
        if (!table.containsColumn(name)) {
            throw new IllegalArgumentException("table " + table.name() + " has no column " + name
                    + "; columns are " + table.columnNames());
        }
        return table.column(name);
    }

    private static NumericColumn<?> numeric(Table table, String name) {
        Column<?> column = column(table, name);
        if (!(column instanceof NumericColumn<?> numeric)) {
            throw new IllegalArgumentException("column " + name + " of table " + table.name() + " is "
                    + column.type() + ", need a numeric column");
        }
        return numeric;
    }
}
