package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Renders every kind of chart and checks what a reader would check: the legend lies inside the image (XChart
 * cuts a legend that does not fit instead of wrapping it), the series carry the right values, the files exist.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // XChart's tick layout can loop forever on bad labels
class ChartsTest {

    /** A run with GraNet-like mask updates: a gradual ramp, then drop-and-regrow at constant sparsity. */
    static Run dynamicRun() {
        List<MaskUpdate> updates = new ArrayList<>();
        long[] sizes = {235_200, 30_000, 1_000};
        for (int i = 1; i <= 40; i++) {
            double density = Math.max(0.05, 1 - i / 20.0);
            long[] kept = {Math.round(sizes[0] * density), Math.round(sizes[1] * density), sizes[2]};
            long regrown = i > 20 ? 4000 / i : 0;
            updates.add(new MaskUpdate(100L * i, i * 100 / 469.0, kept, 12_000, regrown, regrown / 2));
        }
        return Fixtures.lenet().withMaskUpdates(updates);
    }

    /** Every chart, for a person to look at: {@code -Dprune4j.gallery=DIR} writes them there as PNG. */
    @Test
    void galleryOnRequest() throws Exception {
        String dir = System.getProperty("prune4j.gallery");
        if (dir == null) {
            return;
        }
        int i = 0;
        for (Chart<?, ?> chart : everyChart()) {
            ChartFiles.png(chart, Path.of(dir, "chart" + (i++) + ".png"));
        }
    }

    private static List<Chart<?, ?>> everyChart() {
        Run run = dynamicRun();
        double[] pixels = new double[784];
        for (int i = 0; i < pixels.length; i++) {
            int row = i / 28;
            int column = i % 28;
            pixels[i] = Math.exp(-((row - 14) * (row - 14) + (column - 14) * (column - 14)) / 60.0);
        }
        Map<String, double[]> left = new LinkedHashMap<>();
        left.put("learning rate", new double[] {0.1, 0.1, 0.01});
        Map<String, double[]> right = new LinkedHashMap<>();
        right.put("GMP sparsity", new double[] {0.0, 0.5, 0.9});
        return List.of(Charts.training(run), Charts.sparsity(run), Charts.churn(run), Charts.denseTimeline(run),
                Charts.layerDensity(run), Charts.layerDensities("LeNet-300-100 at 90%: density per layer", twoRuns()),
                Charts.tradeoff(sweepWithSeeds(), "LeNet-300-100 on MNIST, 20 epochs"),
                Charts.tradeoff(longNames()), Charts.inputDensity("kept per pixel", pixels),
                Charts.twoAxes("Schedules", "step", new double[] {0, 1, 2}, "learning rate", left, "sparsity", right));
    }

    @Test
    void everyLegendLiesInsideItsImage() throws Exception {
        for (Chart<?, ?> chart : everyChart()) {
            BufferedImage image = ChartFiles.image(chart, 1);
            Rectangle2D legend = legendBounds(chart);
            if (!chart.getStyler().isLegendVisible() || legend == null) {
                continue;
            }
            assertTrue(legend.getWidth() > 0 && legend.getHeight() > 0, chart.getTitle() + ": no legend laid out");
            assertTrue(legend.getMinX() >= 0 && legend.getMaxX() <= image.getWidth()
                            && legend.getMinY() >= 0 && legend.getMaxY() <= image.getHeight(),
                    chart.getTitle() + ": legend " + legend + " outside " + image.getWidth() + "x" + image.getHeight());
        }
    }

    private static Map<String, Run> twoRuns() {
        Map<String, Run> runs = new LinkedHashMap<>();
        runs.put("gmp (global)", Fixtures.lenet());                 // densities 0.1, 0.1, 1.0
        runs.put("gmp-layerwise", Fixtures.run("gmp-layerwise", 0.9, 0.01)); // 0.1 in every layer
        return runs;
    }

    @Test
    void layerDensitiesGroupOneSeriesPerRunOnAnAxisThatFitsTheDensestBar() {
        var chart = Charts.layerDensities("LeNet-300-100 at 90%: density per layer", twoRuns());
        assertEquals(List.of("gmp (global)", "gmp-layerwise"), List.copyOf(chart.getSeriesMap().keySet()));
        assertEquals(List.of("fc1", "fc2", "fc3"), List.copyOf(chart.getSeriesMap().get("gmp-layerwise").getXData()));
        assertEquals(List.of(0.1, 0.1, 1.0), List.copyOf(chart.getSeriesMap().get("gmp (global)").getYData()));
        assertEquals(1.0, chart.getStyler().getYAxisMax(), 1e-12); // fc3 is dense: the axis reaches 1
        Map<String, Run> sparse = new LinkedHashMap<>();
        sparse.put("a", Fixtures.run("gmp", 0.9, 0.01));
        // The densest bar is 0.1: the axis ends at 0.2, not at 1, so differences between methods stay visible.
        assertEquals(0.2, Charts.layerDensities("t", sparse).getStyler().getYAxisMax(), 1e-12);
    }

    @Test
    void layerDensitiesRejectRunsOfDifferentLayers() {
        Map<String, Run> runs = new LinkedHashMap<>(twoRuns());
        runs.put("other", Run.of(Fixtures.info("gmp", 0.9), Fixtures.history(0.9, 0.01),
                List.of(new LayerStats("enc1.query", new long[] {128, 128}, 16_384, 1_638)), 1.0, 10));
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Charts.layerDensities("t", runs));
        assertEquals("run other masks [enc1.query], the first run [fc1, fc2, fc3]", error.getMessage());
    }

    @Test
    void aLegendTooWideForOneRowMovesBesideThePlot() {
        XYChart chart = Charts.tradeoff(longNames());
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideE, chart.getStyler().getLegendPosition());
    }

    @Test
    void theTradeoffDrawsMeansWithErrorBarsOnTheLogDensityAxis() {
        XYChart chart = Charts.tradeoff(sweepWithSeeds(), "LeNet-300-100 on MNIST, 20 epochs");
        assertEquals("Test accuracy vs sparsity: LeNet-300-100 on MNIST, 20 epochs", chart.getTitle());
        var gmp = chart.getSeriesMap().get("gmp");
        // Two seeds at 90%: mean 0.98, sample sd 0.01 * sqrt(2) / ... of 0.975 and 0.985 = 0.00707.
        assertEquals(1.0, gmp.getXData()[0], 1e-9); // 90% sits at -log10(0.1) = 1
        assertEquals(0.98, gmp.getYData()[0], 1e-9);
        assertEquals(0.0070711, gmp.getExtraValues()[0], 1e-6);
        assertEquals(2.0, gmp.getXData()[1], 1e-9); // 99% at 2
        assertTrue(chart.getSeriesMap().keySet().stream().anyMatch(name -> name.startsWith("dense ")),
                chart.getSeriesMap().keySet().toString());
    }

    /** BERT-Tiny's 12 masked layers: the timeline of a run where layers regrow to dense once hung in XChart's tick layout. */
    @Test
    void aTimelineOfTwelveNamedLayersRenders(@TempDir Path dir) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String encoder : List.of("enc1", "enc2")) {
            for (String layer : List.of("query", "key", "value", "out", "ff1", "ff2")) {
                rows.add(encoder + "." + layer);
            }
        }
        boolean[][] on = new boolean[12][3];
        for (int r = 0; r < 12; r++) {
            on[r][0] = true;
            on[r][1] = r < 6;
        }
        XYChart chart = Charts.timeline("Dense layers over time: bert-tiny", rows, new double[] {0, 0.001, 1, 2}, on);
        ChartFiles.png(chart, dir.resolve("timeline.png"));
        assertTrue(Files.size(dir.resolve("timeline.png")) > 0);
    }

    /** Every tick a chart may ask for, far outside its rows too, gets its own label, or XChart retries for ever. */
    @Test
    void invisibleLabelsDifferForEveryHundredth() {
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (int hundredths = -100_000; hundredths <= 100_000; hundredths++) {
            String label = ChartStyle.invisibleLabel(hundredths / 100.0);
            assertTrue(label.chars().allMatch(c -> c >= 0x200B && c <= 0x200D), "only zero-width characters");
            assertTrue(label.length() <= 20, "short: " + label.length());
            labels.add(label);
        }
        assertEquals(200_001, labels.size());
    }

    @Test
    void theSparsityChartStepsAtEveryUpdate() {
        XYChart chart = Charts.sparsity(dynamicRun());
        double[] y = chart.getSeriesMap().get("sparsity").getYData();
        // Start dense, two points per update (hold, then jump), one at the end.
        assertEquals(1 + 2 * 40 + 1, y.length);
        assertEquals(0.0, y[0]);
        assertTrue(y[y.length - 1] > 0.9, "ends near 95% sparse: " + y[y.length - 1]);
    }

    @Test
    void chartsSaveAsTwiceTheirSizeAndAsVectors(@TempDir Path dir) throws Exception {
        XYChart chart = Charts.training(dynamicRun());
        ChartFiles.save(chart, dir.resolve("t.png"));
        ChartFiles.save(chart, dir.resolve("t.svg"));
        ChartFiles.save(chart, dir.resolve("t.pdf"));
        BufferedImage png = javax.imageio.ImageIO.read(dir.resolve("t.png").toFile());
        assertEquals(2 * chart.getWidth(), png.getWidth());
        assertEquals(2 * chart.getHeight(), png.getHeight());
        assertTrue(Files.readString(dir.resolve("t.svg")).contains("<svg"));
        assertTrue(new String(Files.readAllBytes(dir.resolve("t.pdf")), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)
                .startsWith("%PDF"));
    }

    @Test
    void aRunWritesItsUpdatePictures(@TempDir Path dir) throws Exception {
        double[] pixels = new double[784];
        java.util.Arrays.fill(pixels, 0.1);
        List<Path> files = dynamicRun().withInputDensity(pixels).save(dir);
        for (String name : List.of("masks.csv", "sparsity.png", "churn.png", "input-density.png")) {
            assertTrue(files.contains(dir.resolve(name)), name + " in " + files);
        }
        String header = Files.readAllLines(dir.resolve("masks.csv")).get(0);
        assertEquals("step,epoch,sparsity,dropped,regrown,survived,fc1,fc2,fc3", header);
    }

    /** Two seeds per setting: gmp and set at 90% and 99%, dense twice. */
    static Table sweepWithSeeds() {
        String[] method = {"dense", "dense", "gmp", "gmp", "gmp", "gmp", "set", "set", "set", "set"};
        double[] target = {0, 0, 0.9, 0.9, 0.99, 0.99, 0.9, 0.9, 0.99, 0.99};
        double[] measured = {0, 0, 0.9, 0.9, 0.99, 0.99, 0.9, 0.9, 0.99, 0.99};
        double[] accuracy = {0.986, 0.985, 0.975, 0.985, 0.95, 0.96, 0.982, 0.984, 0.94, 0.93};
        return Table.create("sweep", StringColumn.create("method", method), DoubleColumn.create("targetSparsity", target),
                DoubleColumn.create("measuredSparsity", measured), DoubleColumn.create("testAccuracy", accuracy));
    }

    /** Nine methods with long names, as a P-GaP or sweep comparison has. */
    static Table longNames() {
        List<String> names = List.of("combined model (pruned)", "partition 0 (dense)", "partition 1 (dense)",
                "granet-st", "rigl drop 0.3", "set drop 0.3", "gmp cubic", "static ERK", "snip one batch");
        StringColumn method = StringColumn.create("method");
        DoubleColumn measured = DoubleColumn.create("measuredSparsity");
        DoubleColumn accuracy = DoubleColumn.create("testAccuracy");
        for (int i = 0; i < names.size(); i++) {
            for (double s : new double[] {0.5, 0.9, 0.98}) {
                method.append(names.get(i));
                measured.append(s);
                accuracy.append(0.98 - s * 0.01 * i);
            }
        }
        return Table.create("long", method, measured, accuracy);
    }

    /** XChart keeps the legend's laid-out bounds in a protected field; read it after painting. */
    private static Rectangle2D legendBounds(Chart<?, ?> chart) throws ReflectiveOperationException {
        Field field = Chart.class.getDeclaredField("legend");
        field.setAccessible(true);
        Object legend = field.get(chart);
        return legend == null ? null : ((org.knowm.xchart.internal.chartpart.ChartPart) legend).getBounds();
    }
}
