package org.prune4j.notebook;

import java.awt.image.RenderedImage;
import java.util.Objects;
import java.util.Optional;
import org.knowm.xchart.internal.chartpart.Chart;
import org.prune4j.report.Charts;
import org.prune4j.report.Run;
import org.prune4j.report.SweepResult;
import tech.tablesaw.api.Table;

/**
 * How a Prune4J result looks in a notebook, independent of the kernel that shows it: an HTML fragment or a
 * base64 PNG, always with a plain-text twin for consoles and logs. Each kernel family's adapter
 * ({@link JJavaRenderers}, {@link IJavaRenderers}) turns a view into that kernel's display data, so every
 * kernel shows the same thing.
 *
 * @param text the plain-text form (never null)
 * @param html an HTML fragment, or null when the view is an image
 * @param pngBase64 a PNG in base64 (Jupyter's image/png form), or null when the view is HTML
 */
public record View(String text, String html, String pngBase64) {

    /** Checks that the text is present and exactly one rich form is. */
    public View {
        Objects.requireNonNull(text, "text");
        if ((html == null) == (pngBase64 == null)) {
            throw new IllegalArgumentException("a view is either HTML or a PNG, not " + (html == null ? "neither" : "both"));
        }
    }

    /** The types {@link #of(Object)} has a view for, in the order adapters register them. */
    public static final java.util.List<Class<?>> TYPES =
            java.util.List.of(Html.class, Table.class, Run.class, SweepResult.class, Chart.class, RenderedImage.class);

    /**
     * The view of a Prune4J result: a Tablesaw {@link Table} as an HTML table (first 20 rows), an XChart chart
     * or an image as a PNG, a {@link Run} as its summary and tables, a {@link SweepResult} as its table and
     * trade-off chart, an {@link Html} as itself. Empty for any other value (the kernel shows it as text).
     */
    public static Optional<View> of(Object value) {
        if (value instanceof Html html) {
            return Optional.of(html(html));
        } else if (value instanceof Table table) {
            return Optional.of(html(Show.table(table)));
        } else if (value instanceof Run run) {
            return Optional.of(html(Show.run(run)));
        } else if (value instanceof SweepResult sweep) {
            return Optional.of(html(Show.sweep(sweep)));
        } else if (value instanceof Chart<?, ?> chart) {
            return Optional.of(new View("chart: " + chart.getTitle(), null, Show.pngBase64(Charts.image(chart))));
        } else if (value instanceof RenderedImage image) {
            return Optional.of(new View("image " + image.getWidth() + "x" + image.getHeight(), null,
                    Show.pngBase64(image)));
        }
        return Optional.empty();
    }

    /**
     * The view's MIME bundle in Jupyter's form: {@code text/html} or {@code image/png}, then {@code text/plain}.
     * Kernel adapters put each entry into their display data.
     */
    public java.util.Map<String, String> mimeBundle() {
        java.util.Map<String, String> bundle = new java.util.LinkedHashMap<>();
        if (html != null) {
            bundle.put("text/html", html);
        } else {
            bundle.put("image/png", pngBase64);
        }
        bundle.put("text/plain", text);
        return bundle;
    }

    private static View html(Html html) {
        return new View(html.text(), html.html(), null);
    }
}
