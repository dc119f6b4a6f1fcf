package org.prune4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.AnnotationLine;
import java.awt.Graphics2D;
import java.awt.font.TextLayout;
import java.awt.geom.Rectangle2D;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
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
 * XChart charts of runs and sweeps, all 900x560 in one style readable on a projector ({@code ChartStyle}). Every method builds a new chart from
 * its arguments; there is no global state. Charts can be changed further with XChart's own API before
 * they are shown, saved with {@link #savePng} or turned into an image with {@link #image}.
 *
 * <p>Loading this class sets {@code java.awt.headless=true} unless the property is already set, because
 * charts are usually rendered on servers and CI machines without a display. Start the JVM with
 * {@code -Djava.awt.headless=false} to show charts in Swing windows.
 */
public final class Charts {

    /** The heat map's colour bands, white (no weight kept) to ink (the densest band), colour-blind safe. */
    private static final Color[] HEAT_MAP_BANDS = {Color.WHITE, new Color(0xC6E3F5), ChartStyle.SKY,
            ChartStyle.BLUE, new Color(0x004A75), ChartStyle.INK};


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
     * Test and train accuracy per epoch on the left axis and the mean training loss per epoch (dashed) on a
     * right axis. The title names the method, model, dataset and epochs. Sparsity has its own chart,
     * {@link #sparsity(Run)}, sampled at every mask update.
     */
    public static XYChart training(Run run) {
        XYChart chart = xyChart("Training: " + runTitle(run), "epoch", "accuracy");
        List<EpochStats> rows = run.historyRows();
        int n = rows.size();
        double[] epoch = new double[n];
        double[] test = new double[n];
        double[] train = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            epoch[i] = rows.get(i).epoch();
            test[i] = rows.get(i).testAccuracy();
            train[i] = rows.get(i).trainAccuracy();
            loss[i] = rows.get(i).loss();
        }
        integerTicks(chart);
        roundTicksForLongAxes(chart, epoch);
        if (n == 0) {
            return chart; // XChart refuses empty series; an empty plot with the title says enough.
        }
        boolean marked = n <= MAX_MARKED_POINTS;
        line(chart.addSeries("test accuracy", epoch, test), ChartStyle.BLUE, marked);
        line(chart.addSeries("train accuracy", epoch, train), ChartStyle.ORANGE, marked);
        XYSeries lossSeries = chart.addSeries("training loss (right axis)", epoch, loss);
        line(lossSeries, ChartStyle.VERMILLION, marked);
        lossSeries.setLineStyle(ChartStyle.DASHED);
        lossSeries.setYAxisGroup(1);
        chart.setYAxisGroupTitle(0, "accuracy");
        chart.setYAxisGroupTitle(1, "loss");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(1, 0.0);
        ChartStyle.fitLegend(chart);
        return chart;
    }

    /**
     * Sparsity of the masked weights after every mask update, as a step line over (fractional) epochs: a
     * gradual schedule shows its ramp, a GaP run its partitions growing and shrinking. Falls back to the
     * sparsity at epoch ends for a run without recorded updates (one built by hand, or P-GaP's rounds).
     */
    public static XYChart sparsity(Run run) {
        XYChart chart = xyChart("Sparsity at every mask update: " + runTitle(run), "epoch", "sparsity");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, "%.0f%%", 100 * v));
        List<MaskUpdate> updates = run.maskUpdates();
        long total = run.layerRows().stream().mapToLong(LayerStats::parameters).sum();
        double end = Math.max(run.epochs(), 1);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        if (!updates.isEmpty() && total > 0) {
            x.add(0.0);
            y.add(0.0);
            for (MaskUpdate update : updates) {
                double value = 1.0 - (double) update.keptTotal() / total;
                x.add(update.epoch());
                y.add(y.get(y.size() - 1)); // hold the previous value up to the update: a step, not a ramp
                x.add(update.epoch());
                y.add(value);
            }
            x.add(Math.max(end, x.get(x.size() - 1)));
            y.add(y.get(y.size() - 1));
        } else {
            x.add(0.0);
            y.add(0.0);
            for (EpochStats row : run.historyRows()) {
                x.add((double) row.epoch());
                y.add(row.sparsity());
            }
        }
        XYSeries series = chart.addSeries("sparsity", x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(ChartStyle.BLUE);
        series.setLineStyle(ChartStyle.SOLID);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /**
     * Mask churn at every update of a dynamic method (SET, RigL, GraNet): weights dropped, weights regrown,
     * and of the regrown, those still kept at the layer's next update. The masks set at the start are left
     * out: they prune a dense model once and would dwarf the updates.
     */
    public static XYChart churn(Run run) {
        XYChart chart = xyChart("Mask churn per update: " + runTitle(run), "epoch", "weights per update");
        List<MaskUpdate> updates = run.maskUpdates().stream().filter(u -> u.step() > 0).toList();
        if (updates.isEmpty()) {
            return chart;
        }
        double[] x = updates.stream().mapToDouble(MaskUpdate::epoch).toArray();
        boolean marked = x.length <= MAX_MARKED_POINTS;
        line(chart.addSeries("dropped", x, updates.stream().mapToDouble(MaskUpdate::dropped).toArray()),
                ChartStyle.VERMILLION, marked);
        line(chart.addSeries("regrown", x, updates.stream().mapToDouble(MaskUpdate::regrown).toArray()),
                ChartStyle.BLUE, marked);
        XYSeries survived = chart.addSeries("regrown, kept to the next update", x,
                updates.stream().mapToDouble(MaskUpdate::survived).toArray());
        line(survived, ChartStyle.GREEN, marked);
        survived.setLineStyle(ChartStyle.DASHED);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        ChartStyle.fitLegend(chart);
        return chart;
    }

    /**
     * Which layers are dense (grown) when: one row per masked layer, a thick bar while the layer keeps all
     * its weights and a thin line while it is pruned, over (fractional) epochs. For GaP this is its schedule
     * as it ran: the partitions taking turns at being dense. Built from the run's mask updates.
     */
    public static XYChart denseTimeline(Run run) {
        List<LayerStats> layers = run.layerRows();
        List<MaskUpdate> updates = run.maskUpdates();
        double end = Math.max(run.epochs(), updates.isEmpty() ? 1 : updates.get(updates.size() - 1).epoch());
        List<String> names = layers.stream().map(LayerStats::layer).toList();
        boolean[][] dense = new boolean[layers.size()][updates.size() + 1];
        double[] times = new double[updates.size() + 2];
        for (int layer = 0; layer < layers.size(); layer++) {
            dense[layer][0] = true; // every layer starts dense until a mask says otherwise
        }
        for (int i = 0; i < updates.size(); i++) {
            long[] kept = updates.get(i).kept();
            times[i + 1] = updates.get(i).epoch();
            for (int layer = 0; layer < layers.size() && layer < kept.length; layer++) {
                dense[layer][i + 1] = kept[layer] == layers.get(layer).parameters();
            }
        }
        times[updates.size() + 1] = end;
        return timeline("Dense layers over time: " + runTitle(run), names, times, dense);
    }

    /** Pixels a row label needs on the timeline's y axis: the tick font's height and a little air. */
    private static final int TIMELINE_ROW_LABEL_SPACING = 22;

    /**
     * A timeline of rows (layers, partitions) that are on or off over time: a thick bar while on, a thin line
     * while off. Row 0 is drawn at the top.
     *
     * @param rows  the row labels, top to bottom
     * @param times the interval boundaries, increasing: interval {@code i} is {@code [times[i], times[i+1])}
     * @param on    {@code on[row][i]} for each row and interval ({@code times.length - 1} intervals)
     */
    public static XYChart timeline(String title, List<String> rows, double[] times, boolean[][] on) {
        XYChart chart = xyChart(title, "epoch", "");
        int n = rows.size();
        chart.getStyler().setYAxisMin(-0.6);
        chart.getStyler().setYAxisMax(n - 0.4);
        // A tick every row where rows are at least a label high: XChart's default spacing labels every other row.
        chart.getStyler().setYAxisTickMarkSpacingHint(TIMELINE_ROW_LABEL_SPACING);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> {
            int row = (int) Math.round(n - 1 - v);
            return Math.abs(v - Math.rint(v)) < 1e-6 && row >= 0 && row < n ? rows.get(row) : ChartStyle.invisibleLabel(v);
        });
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        BasicStroke thick = new BasicStroke(16f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
        BasicStroke thin = new BasicStroke(1.5f);
        boolean[] legendShown = new boolean[2];
        for (int row = 0; row < n; row++) {
            double y = n - 1 - row;
            int i = 0;
            while (i < times.length - 1) {
                boolean state = on[row][i];
                int j = i;
                while (j < times.length - 1 && on[row][j] == state) {
                    j++;
                }
                if (times[j] > times[i]) {
                    String name = (state ? "dense" : "pruned") + " " + row + "." + i;
                    XYSeries segment = chart.addSeries(name, new double[] {times[i], times[j]}, new double[] {y, y});
                    segment.setMarker(SeriesMarkers.NONE);
                    segment.setLineColor(state ? ChartStyle.BLUE : ChartStyle.GREY);
                    segment.setLineStyle(state ? thick : thin);
                    segment.setShowInLegend(false);
                    legendShown[state ? 0 : 1] = true;
                }
                i = j;
            }
        }
        // Two legend-only entries say what thick and thin mean.
        if (legendShown[0]) {
            legendEntry(chart, "dense (all weights kept)", ChartStyle.BLUE, new BasicStroke(8f));
        }
        if (legendShown[1]) {
            legendEntry(chart, "pruned", ChartStyle.GREY, thin);
        }
        ChartStyle.fitLegend(chart);
        return chart;
    }

    /**
     * The fraction of the first layer's weights kept per input, as a picture the size of the input: for
     * LeNet-300-100 on MNIST, which of the 28x28 pixels the pruned network still looks at.
     *
     * @param perInput kept fraction per input in [0,1], row-major, of a square image ({@code side x side})
     * @throws IllegalArgumentException if the length is not a square
     */
    public static HeatMapChart inputDensity(String title, double[] perInput) {
        int side = (int) Math.round(Math.sqrt(perInput.length));
        if (side * side != perInput.length || side == 0) {
            throw new IllegalArgumentException("per-input density of length " + perInput.length
                    + " is not a square image: expected side x side values, such as 784 for 28x28");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(ChartStyle.HEIGHT + 160).height(ChartStyle.HEIGHT + 60)
                .title(title).xAxisTitle("pixel column").yAxisTitle("pixel row").build();
        HeatMapStyler styler = chart.getStyler();
        ChartStyle.apply(styler);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(Styler.LegendLayout.Vertical);
        styler.setShowValue(false);
        styler.setMin(0);
        // The colour scale ends at the densest pixel, rounded up to a round band width: at 98% sparsity no pixel
        // keeps more than a few percent, and a 0-100% scale would paint them all white. Bands, not a gradient:
        // XChart labels a gradient's ends with raw doubles ("30.0"), while bands go through the % formatter.
        double densest = java.util.Arrays.stream(perInput).max().orElse(1.0);
        int bands = HEAT_MAP_BANDS.length;
        styler.setMax(HeatMapBands.width(100 * densest, bands) * bands);
        styler.setSplitNumber(bands);
        styler.setPiecewise(true);
        styler.setPiecewiseRanged(true);
        styler.setRangeColors(HEAT_MAP_BANDS);
        styler.setPlotGridLinesVisible(false);
        styler.setHeatMapDecimalValueFormatter(v -> String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f%%" : "%.1f%%", v));
        // 28 labels per axis: a smaller font keeps two-digit ones apart (XChart labels every category of a heat map).
        styler.setAxisTickLabelsFont(ChartStyle.TICK_FONT.deriveFont(11f));
        List<Integer> axis = new ArrayList<>();
        for (int i = 0; i < side; i++) {
            axis.add(i);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int row = 0; row < side; row++) {
            for (int column = 0; column < side; column++) {
                // Heat map rows grow upwards; image rows grow downwards: flip, so the digit stands upright.
                cells.add(new Number[] {column, side - 1 - row, 100.0 * perInput[row * side + column]});
            }
        }
        List<Integer> yAxis = new ArrayList<>(axis);
        java.util.Collections.reverse(yAxis);
        chart.addSeries("% of weights kept", axis, yAxis, cells);
        ChartStyle.fitTitle(chart);
        return chart;
    }

    /** {@link #inputDensity(String, double[])} of a run's first layer, titled with the run. */
    public static HeatMapChart inputDensity(Run run) {
        return inputDensity("Weights kept per input pixel, first layer: " + runTitle(run),
                run.inputDensity().orElseThrow(() -> new IllegalArgumentException(
                        "run " + run.info().method() + " on " + run.info().model() + " recorded no per-input density"
                                + " (its first masked layer is not fully connected)")));
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
        ChartStyle.fitTitle(chart);
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
     * Density per layer of several runs of one model, as grouped bars: one colour per run, the layers in the first
     * run's order. The axis stops just above the densest bar, not at 1, because at high sparsity every bar is short
     * and how the methods share the budget out is the point of the chart.
     *
     * @param runs legend name to run, drawn in the map's iteration order; every run must mask the same layers
     * @throws IllegalArgumentException if {@code runs} is empty or the runs mask different layers
     */
    public static CategoryChart layerDensities(String title, Map<String, Run> runs) {
        Objects.requireNonNull(runs, "runs");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("runs is empty, need at least 1 run");
        }
        List<String> names = runs.values().iterator().next().layerRows().stream().map(LayerStats::layer).toList();
        CategoryChart chart = new CategoryChartBuilder()
                .width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT)
                .title(title).xAxisTitle("layer").yAxisTitle("density (fraction of weights kept)")
                .build();
        var styler = ChartStyle.apply(chart.getStyler());
        ChartStyle.fitTitle(chart);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setAvailableSpaceFill(0.8);
        styler.setOverlapped(false);
        double densest = 0;
        for (Map.Entry<String, Run> entry : runs.entrySet()) {
            List<LayerStats> rows = entry.getValue().layerRows();
            List<String> layers = rows.stream().map(LayerStats::layer).toList();
            if (!layers.equals(names)) {
                throw new IllegalArgumentException("run " + entry.getKey() + " masks " + layers + ", the first run "
                        + names);
            }
            List<Double> densities = rows.stream().map(LayerStats::density).toList();
            densest = Math.max(densest, densities.stream().mapToDouble(Double::doubleValue).max().orElse(0));
            chart.addSeries(entry.getKey(), names, densities);
        }
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(Math.min(1.0, Math.ceil(densest * 11) / 10));
        if (names.size() * Math.max(names.stream().mapToInt(String::length).max().orElse(4), 4) > 70) {
            styler.setXAxisLabelRotation(45); // slanted names keep long ones apart
        }
        ChartStyle.fitLegend(chart);
        return chart;
    }

    /**
     * Test accuracy against sparsity on the conventional axis ({@link SparsityAxis}: equal steps in log
     * density, ticks at 50, 80, 90, 95, 98, 99%): one line per method through the mean over seeds, with an
     * error bar of one sample standard deviation, and dense as a reference line with a band of one standard
     * deviation. Titled "Test accuracy vs sparsity".
     *
     * @param sweep a table with a method column (or a setting column) and numeric columns measuredSparsity and
     *              testAccuracy; a targetSparsity column, when present, groups the seeds of one setting; rows
     *              of method "dense" (or sparsity 0) make the reference; rows with a missing value are skipped
     * @throws IllegalArgumentException if a required column is missing or not numeric
     */
    public static XYChart tradeoff(Table sweep) {
        return tradeoff(sweep, "");
    }

    /**
     * {@link #tradeoff(Table)} with the setting in the title, such as
     * {@code "LeNet-300-100 on MNIST, 20 epochs"}.
     */
    public static XYChart tradeoff(Table sweep, String setting) {
        Objects.requireNonNull(sweep, "sweep");
        Column<?> method = sweep.containsColumn("method") || !sweep.containsColumn("setting")
                ? column(sweep, "method") : column(sweep, "setting");
        NumericColumn<?> sparsity = numeric(sweep, "measuredSparsity");
        NumericColumn<?> accuracy = numeric(sweep, "testAccuracy");
        NumericColumn<?> target = sweep.containsColumn("targetSparsity") ? numeric(sweep, "targetSparsity") : null;
        List<MeanAndSpread.Sample> samples = new ArrayList<>();
        for (int row = 0; row < sweep.rowCount(); row++) {
            if (method.isMissing(row) || sparsity.isMissing(row) || accuracy.isMissing(row)) {
                continue;
            }
            double s = sparsity.getDouble(row);
            // Without a target, round the measured sparsity: seeds of one setting differ in the 4th digit.
            double key = target != null && !target.isMissing(row) ? target.getDouble(row) : Math.rint(s * 1000) / 1000;
            samples.add(new MeanAndSpread.Sample(method.getString(row), key, s, accuracy.getDouble(row)));
        }
        Map<String, List<MeanAndSpread>> points = MeanAndSpread.of(samples);
        List<MeanAndSpread> dense = new ArrayList<>();
        Map<String, List<MeanAndSpread>> sparse = new LinkedHashMap<>();
        points.forEach((label, list) -> {
            for (MeanAndSpread p : list) {
                if (label.equals("dense") || p.sparsity() < 1e-6) {
                    dense.add(p);
                } else {
                    sparse.computeIfAbsent(label, k -> new ArrayList<>()).add(p);
                }
            }
        });
        String title = "Test accuracy vs sparsity" + (setting == null || setting.isBlank() ? "" : ": " + setting);
        XYChart chart = xyChart(title, "sparsity (equal steps in log density)", "test accuracy");
        double maxSparsity = samples.stream().mapToDouble(MeanAndSpread.Sample::sparsity).max().orElse(0.9);
        List<Double> ticks = SparsityAxis.ticks(Math.min(maxSparsity, 0.999));
        double left = sparse.isEmpty() ? 0.0 : SparsityAxis.position(ticks.get(Math.max(0, firstTickBelow(ticks, sparse))));
        double right = SparsityAxis.position(ticks.get(ticks.size() - 1));
        // Leave a margin so points at the outer ticks are not cut in half by the plot's edge.
        double margin = 0.04 * (right - left);
        chart.getStyler().setXAxisMin(left - margin);
        chart.getStyler().setXAxisMax(right + margin);
        sparsityTicks(chart, ticks, left - margin);
        for (Map.Entry<String, List<MeanAndSpread>> entry : sparse.entrySet()) {
            List<MeanAndSpread> list = entry.getValue();
            double[] x = list.stream().mapToDouble(p -> SparsityAxis.position(p.sparsity())).toArray();
            double[] y = list.stream().mapToDouble(MeanAndSpread::mean).toArray();
            double[] e = list.stream().mapToDouble(MeanAndSpread::sd).toArray();
            chart.addSeries(entry.getKey(), x, y, e).setLineStyle(ChartStyle.SOLID);
        }
        if (!dense.isEmpty()) {
            MeanAndSpread reference = dense.get(0);
            double[] x = {left - margin, right + margin};
            XYSeries line = chart.addSeries(String.format(Locale.ROOT, "dense %.4f", reference.mean()), x,
                    new double[] {reference.mean(), reference.mean()});
            line.setLineColor(ChartStyle.INK);
            line.setLineStyle(ChartStyle.DASHED);
            line.setMarker(SeriesMarkers.NONE);
            if (reference.sd() > 0) {
                // The band: one standard deviation each side, drawn as two faint lines.
                for (double sign : new double[] {-1, 1}) {
                    XYSeries edge = chart.addSeries("dense " + (sign < 0 ? "-" : "+") + " sd", x,
                            new double[] {reference.mean() + sign * reference.sd(), reference.mean() + sign * reference.sd()});
                    edge.setLineColor(new Color(0xBBBBBB));
                    edge.setLineStyle(new BasicStroke(1f));
                    edge.setMarker(SeriesMarkers.NONE);
                    edge.setShowInLegend(false);
                }
            }
        }
        ChartStyle.fitLegend(chart);
        return chart;
    }

    /** The index of the highest tick at or below every sparse point, so the axis starts just left of the data. */
    private static int firstTickBelow(List<Double> ticks, Map<String, List<MeanAndSpread>> sparse) {
        double min = sparse.values().stream().flatMap(List::stream).mapToDouble(MeanAndSpread::sparsity).min().orElse(0);
        int index = 0;
        for (int i = 0; i < ticks.size(); i++) {
            if (ticks.get(i) <= min + 1e-9) {
                index = i;
            }
        }
        // Show at least three ticks, so the log steps are visible.
        return Math.min(index, Math.max(0, ticks.size() - 3));
    }

    /**
     * Ticks at the given sparsity levels. XChart places its own ticks at round positions; on this axis they
     * would read as 68.4%, so its labels are hidden (keeping their row) and the levels are drawn as
     * annotations: a vertical grid line and a label just under the plot.
     */
    private static void sparsityTicks(XYChart chart, List<Double> ticks, double left) {
        // XChart's labels keep their row (a digit's height) but are drawn in the background colour.
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> ChartStyle.invisibleLabel(v) + "0");
        chart.getStyler().setXAxisTickLabelsColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setXAxisTickMarksColor(Color.WHITE); // XChart's own tick positions would mislead
        for (double level : ticks) {
            double x = SparsityAxis.position(level);
            if (x < left) {
                continue;
            }
            chart.addAnnotation(new AnnotationLine(x, true, false));
            chart.addAnnotation(new TickLabel(SparsityAxis.label(level), x));
        }
    }

    /** One x tick label drawn at a data x, just under the plot area (placed at paint time). */
    private static final class TickLabel extends Annotation {
        private final String text;
        private final double x;

        TickLabel(String text, double x) {
            super(false);
            this.text = text;
            this.x = x;
        }

        @Override
        public void paint(Graphics2D g) {
            // The plot's bottom edge is known only now: XChart lays the chart out while painting it.
            TextLayout layout = new TextLayout(text, ChartStyle.TICK_FONT, g.getFontRenderContext());
            Rectangle2D textBounds = layout.getBounds();
            float left = (float) (getXAxisScreenValue(x) - textBounds.getWidth() / 2);
            // "ForMax" is the plot's bottom edge in screen space (the y axis's minimum).
            float baseline = (float) (getYAxisScreenValueForMax() + 10 + textBounds.getHeight());
            g.setColor(ChartStyle.GREY);
            layout.draw(g, left, baseline);
            bounds = new Rectangle2D.Double(left, baseline - textBounds.getHeight(), textBounds.getWidth(),
                    textBounds.getHeight());
        }
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
        ChartStyle.fitLegend(chart);
        return chart;
    }

    /**
     * Two kinds of value over one x, each on its own axis: {@code left} series on the left axis, {@code right}
     * series (dashed) on the right axis. For a learning rate and a sparsity schedule side by side, instead of
     * rescaling one onto the other's axis.
     *
     * @throws IllegalArgumentException if {@code x} is empty or a series has a different length
     */
    public static XYChart twoAxes(String title, String xLabel, double[] x, String leftLabel, Map<String, double[]> left,
                                  String rightLabel, Map<String, double[]> right) {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        Map<String, double[]> all = new LinkedHashMap<>(left);
        all.putAll(right);
        XYChart chart = series(title, xLabel, leftLabel, x, all);
        for (String name : right.keySet()) {
            XYSeries series = chart.getSeriesMap().get(name);
            series.setYAxisGroup(1);
            series.setLineStyle(ChartStyle.DASHED);
        }
        chart.setYAxisGroupTitle(0, leftLabel);
        chart.setYAxisGroupTitle(1, rightLabel);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        ChartStyle.fitLegend(chart);
        return chart;
    }

    /**
     * Writes a chart as a PNG at twice the chart's size (1800x1120 for charts made here), replacing
     * {@code file} atomically; the parent directory is created if missing. SVG and PDF: {@link ChartFiles}.
     */
    public static void savePng(Chart<?, ?> chart, Path file) throws IOException {
        ChartFiles.png(chart, file);
    }

    /** The chart rendered at its own size, for display in a notebook; {@link ChartFiles#image} for 2x. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return ChartFiles.image(chart, 1);
    }

    /** "gmp on lenet300 (mnist), 20 epochs", and ", stopped early" for a partial run. */
    private static String runTitle(Run run) {
        RunInfo info = run.info();
        return info.method() + " on " + info.model() + " (" + info.dataset() + "), " + info.epochs() + " epochs"
                + (run.partial() ? ", stopped early" : "");
    }

    /** A series that only shows in the legend: one point outside the visible range is never drawn. */
    private static void legendEntry(XYChart chart, String name, Color color, BasicStroke stroke) {
        XYSeries entry = chart.addSeries(name, new double[] {Double.NaN}, new double[] {Double.NaN});
        entry.setLineColor(color);
        entry.setLineStyle(stroke);
        entry.setMarker(SeriesMarkers.NONE);
    }

    private static XYChart xyChart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder()
                .width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        ChartStyle.apply(chart.getStyler());
        ChartStyle.fitTitle(chart);
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
                v -> v == Math.rint(v) ? Long.toString(Math.round(v)) : ChartStyle.invisibleLabel(v));
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
