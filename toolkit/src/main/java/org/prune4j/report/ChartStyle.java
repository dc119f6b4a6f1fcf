package org.prune4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one look shared by every Prune4J chart: white background, light grid, no boxes, a colour-blind-safe
 * palette (Okabe and Ito) with a different marker per series so charts also read in grey print, and
 * fonts large enough for a slide at 800x500.
 */
final class ChartStyle {

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

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

    private ChartStyle() {}

    static <S extends AxesChartStyler> S apply(S styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setChartFontColor(INK);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitlePadding(10);
        styler.setChartPadding(14);
        styler.setAntiAlias(true);
        styler.setSeriesColors(PALETTE);
        styler.setSeriesMarkers(MARKERS);
        styler.setMarkerSize(8);

        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendBackgroundColor(Color.WHITE);
        styler.setLegendSeriesLineLength(28);

        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
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
