package org.prune4j.report;

import org.prune4j.io.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Charts as files and images: PNG at twice the chart's size (sharp on a projector and on high-density
 * screens), and SVG or PDF drawn as vectors by XChart's VectorGraphics2D encoder, for papers. Every file is
 * replaced atomically.
 */
public final class ChartFiles {

    /** The scale PNG files are written at: 2 gives 1800x1120 pixels for a 900x560 chart. */
    public static final int PNG_SCALE = 2;

    private ChartFiles() {}

    /**
     * The chart drawn at {@code scale} times its size, as the chart would look on a screen of that pixel
     * density: the same layout, sharper.
     *
     * @throws IllegalArgumentException if {@code scale} is outside [1, 8]
     */
    public static BufferedImage image(Chart<?, ?> chart, int scale) {
        Objects.requireNonNull(chart, "chart");
        if (scale < 1 || scale > 8) {
            throw new IllegalArgumentException("scale " + scale + " outside [1,8]");
        }
        BufferedImage image = new BufferedImage(chart.getWidth() * scale, chart.getHeight() * scale,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(scale, scale);
            chart.paint(g, chart.getWidth(), chart.getHeight());
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes the chart as a PNG at {@link #PNG_SCALE} times its size. */
    public static Path png(Chart<?, ?> chart, Path file) throws IOException {
        BufferedImage image = image(chart, PNG_SCALE);
        return AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    }

    /** Writes the chart as SVG (vectors: text stays text). */
    public static Path svg(Chart<?, ?> chart, Path file) throws IOException {
        Objects.requireNonNull(chart, "chart");
        return AtomicFiles.write(file, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }

    /** Writes the chart as a one-page PDF (vectors). */
    public static Path pdf(Chart<?, ?> chart, Path file) throws IOException {
        Objects.requireNonNull(chart, "chart");
        return AtomicFiles.write(file, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                VectorGraphicsEncoder.VectorGraphicsFormat.PDF));
    }

    /**
     * Writes the chart in the format its file name ends with: {@code .png}, {@code .svg} or {@code .pdf}.
     *
     * @throws IllegalArgumentException for another ending
     */
    public static Path save(Chart<?, ?> chart, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return png(chart, file);
        } else if (name.endsWith(".svg")) {
            return svg(chart, file);
        } else if (name.endsWith(".pdf")) {
            return pdf(chart, file);
        }
        throw new IllegalArgumentException("chart file " + file + ": expected a name ending in .png, .svg or .pdf");
    }
}
