package org.prune4j.notebook;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.knowm.xchart.internal.chartpart.Chart;
import org.prune4j.report.Charts;
import org.prune4j.report.Run;
import org.prune4j.report.SweepResult;
import tech.tablesaw.api.Table;

/**
 * The HTML and text forms of Prune4J results ({@link Html} values), and charts as images. Notebooks show
 * results with {@link Notebook#show(Object)}, which works on every Java kernel; these helpers are what its
 * {@link View}s are made of, and what a console or a test prints.
 */
public final class Show {

    private Show() {
    }

    /** The chart as an image; Java kernels display a {@link BufferedImage} cell value as image/png. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return Charts.image(chart);
    }

    /** The table as HTML (first {@value HtmlTables#DEFAULT_MAX_ROWS} rows). */
    public static Html table(Table table) {
        return table(table, HtmlTables.DEFAULT_MAX_ROWS);
    }

    /** The table as HTML, showing at most {@code maxRows} rows. */
    public static Html table(Table table, int maxRows) {
        Objects.requireNonNull(table, "table");
        return new Html(HtmlTables.html(table, maxRows), HtmlTables.text(table, maxRows));
    }

    /** A run's two-line summary, then its history and layers tables. */
    public static Html run(Run run) {
        Objects.requireNonNull(run, "run");
        String html = "<div class=\"prune4j-run\"><pre style=\"margin:0 0 6px 0\">" + HtmlTables.escape(run.summary())
                + "</pre>" + HtmlTables.html(run.history(), 50) + HtmlTables.html(run.layers(), 50) + "</div>";
        String text = run.summary() + System.lineSeparator() + System.lineSeparator()
                + HtmlTables.text(run.history(), 50) + System.lineSeparator() + HtmlTables.text(run.layers(), 50);
        return new Html(html, text);
    }

    /** A sweep's table followed by its trade-off chart (embedded as a PNG). */
    public static Html sweep(SweepResult sweep) {
        Objects.requireNonNull(sweep, "sweep");
        Table table = sweep.table();
        String html = "<div class=\"prune4j-sweep\">" + HtmlTables.html(table, 100)
                + "<img alt=\"trade-off chart\" src=\"data:image/png;base64," + pngBase64(Charts.image(sweep.chart()))
                + "\"/></div>";
        return new Html(html, HtmlTables.text(table, 100));
    }

    /** The image encoded as PNG, in base64 (the form Jupyter's image/png output takes). */
    public static String pngBase64(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(Objects.requireNonNull(image, "image"), "png", bytes)) {
                throw new IllegalStateException("no PNG writer for this image: " + image.getClass().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG into memory failed", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
