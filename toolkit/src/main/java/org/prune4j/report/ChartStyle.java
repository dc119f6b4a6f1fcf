package org.prune4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one look shared by every Prune4J chart: white background, light grid, no boxes, a colour-blind-safe
 * palette (Okabe and Ito) with a different marker per series so charts also read in grey print, and
 * fonts large enough for the back row of a lecture hall at 900x560 (PNG files are written at twice that).
 *
 * <p>Legends sit below the plot while their entries fit in one row, and move to the right of the plot in
 * one column when they do not ({@link #fitLegend}): XChart neither wraps nor shrinks a legend, it cuts it.
 */
final class ChartStyle {

    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    static final Color BLUE = new Color(0x0072B2);
    static final Color VERMILLION = new Color(0xD55E00);
    static final Color GREEN = new Color(0x009E73);
    static final Color ORANGE = new Color(0xE69F00);
    static final Color PURPLE = new Color(0xCC79A7);
    static final Color SKY = new Color(0x56B4E9);
    static final Color GREY = new Color(0x555555);
    static final Color INK = new Color(0x222222);
    private static final Color GRID = new Color(0xE3E3E3);

    // Beyond Okabe and Ito's seven, two dark colours from Tol's palette: a sweep of nine methods stays apart.
    private static final Color[] PALETTE = {BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, INK, new Color(0x882255),
            new Color(0x117733), GREY};
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS
    };

    /** A dashed line, for series that are context (sparsity, schedules) rather than the result. */
    static final BasicStroke DASHED = new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10.0f, new float[] {7.0f, 5.0f}, 0.0f);
    static final BasicStroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final int LEGEND_PADDING = 10;
    static final int LEGEND_LINE_LENGTH = 28;
    static final int CHART_PADDING = 14;

    private ChartStyle() {}

    /**
     * A tick label that shows nothing but differs for every tick: XChart retries its tick layout until all
     * labels are distinct, so blank labels ("") for ticks drawn elsewhere would make it loop forever. The
     * value in hundredths is written in binary with two zero-width characters (Java draws U+200B-U+200F as
     * invisible glyphs), after a zero-width space that marks the sign. The code is one-to-one for every value
     * and stays short, unlike a count of zero-width spaces, which had to be capped and then repeated itself
     * for ticks beyond the cap (a 12-row timeline hung on it).
     */
    static String invisibleLabel(double value) {
        long hundredths = Math.round(value * 100);
        String binary = Long.toBinaryString(Math.abs(hundredths)).replace('0', '\u200C').replace('1', '\u200D');
        return (hundredths < 0 ? "\u200B\u200B" : "\u200B") + binary;
    }

    /**
     * Shrinks the title font until the title fits above the plot, which XChart centres it on: the chart's
     * width less the paddings, about {@link #Y_AXIS_SPACE} for the y axis, and a legend placed to the right.
     */
    static void fitTitle(Chart<?, ?> chart) {
        FontRenderContext context = new FontRenderContext(null, true, true);
        double budget = chart.getWidth() - 2 * CHART_PADDING - Y_AXIS_SPACE;
        if (chart.getStyler().isLegendVisible() && chart.getStyler().getLegendPosition() == Styler.LegendPosition.OutsideE) {
            List<String> names = legendNames(chart);
            budget -= names.stream().mapToDouble(n -> LEGEND_FONT.getStringBounds(n, context).getWidth()).max().orElse(0)
                    + LEGEND_LINE_LENGTH + 3 * LEGEND_PADDING;
        }
        Font font = TITLE_FONT;
        while (font.getSize() > 11 && font.getStringBounds(chart.getTitle(), context).getWidth() > budget) {
            font = font.deriveFont((float) font.getSize() - 1);
        }
        chart.getStyler().setChartTitleFont(font);
    }

    /** Room the y axis's tick labels and title take left of the plot, roughly. */
    static final int Y_AXIS_SPACE = 130;

    private static List<String> legendNames(Chart<?, ?> chart) {
        return chart.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).map(s -> s.getName()).toList();
    }

    /**
     * Puts the legend where its entries fit: one row below the plot when the row is narrower than the chart,
     * else one column right of the plot. Call after the series are added.
     */
    static void fitLegend(Chart<? extends AxesChartStyler, ?> chart) {
        List<String> names = legendNames(chart);
        if (names.isEmpty()) {
            chart.getStyler().setLegendVisible(false);
            return;
        }
        if (legendRowWidth(names, LEGEND_FONT) > chart.getWidth() - 2 * CHART_PADDING) {
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
            fitTitle(chart); // the legend now takes width from the title's room
        }
    }

    /**
     * Width of a one-row legend as XChart lays it out: per entry a padding, the line sample, a padding and
     * the text; a padding at the end; with a 10% reserve for font differences between machines.
     */
    static double legendRowWidth(List<String> names, Font font) {
        FontRenderContext context = new FontRenderContext(null, true, true);
        double width = LEGEND_PADDING;
        for (String name : names) {
            width += LEGEND_LINE_LENGTH + 2 * LEGEND_PADDING + font.getStringBounds(name, context).getWidth();
        }
        return 1.1 * width;
    }

    static <S extends AxesChartStyler> S apply(S styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setChartFontColor(INK);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitlePadding(10);
        styler.setChartPadding(CHART_PADDING);
        styler.setAntiAlias(true);
        styler.setSeriesColors(PALETTE);
        styler.setSeriesMarkers(MARKERS);
        styler.setMarkerSize(8);

        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendFont(LEGEND_FONT);
        styler.setLegendPadding(LEGEND_PADDING);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendBackgroundColor(Color.WHITE);
        styler.setLegendSeriesLineLength(LEGEND_LINE_LENGTH);

        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        styler.setAxisTickLabelsFont(TICK_FONT);
        styler.setAnnotationTextFont(TICK_FONT);
        styler.setAnnotationTextFontColor(GREY);
        styler.setAnnotationLineColor(GRID);
        styler.setAnnotationLineStroke(new BasicStroke(1.0f));
        styler.setErrorBarsColorSeriesColor(true);
        styler.setAxisTickLabelsColor(GREY);
        styler.setAxisTickMarksColor(GRID);
        styler.setAxisTitlePadding(8);
        styler.setPlotBorderVisible(false);
        styler.setPlotTicksMarksVisible(false);
        styler.setPlotGridLinesColor(GRID);
        styler.setPlotGridLinesStroke(new BasicStroke(1.0f));
        styler.setPlotMargin(6);
        // XChart's default spacing crams the larger tick labels together on long axes.
        styler.setXAxisTickMarkSpacingHint(100);
        styler.setYAxisTickMarkSpacingHint(60);
        styler.setToolTipsEnabled(false);
        return styler;
    }
}
