package org.prune4j.notebook;

import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;
import org.prune4j.report.Charts;
import org.prune4j.report.Run;
import org.prune4j.report.SweepResult;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;
import tech.tablesaw.api.Table;

/**
 * Teaches the rapaio Jupyter kernel to show Prune4J results as a cell's value: a Tablesaw {@link Table}
 * as an HTML table, an XChart chart as a PNG, a {@link Run} as its summary and tables, a
 * {@link SweepResult} as its table and trade-off chart. Found through {@code META-INF/services}.
 */
public final class Prune4jDisplayProvider implements DisplayProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public Prune4jDisplayProvider() {
    }

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(
                TypedRenderer.html(Html.class, html -> html),
                TypedRenderer.html(Table.class, Show::table),
                TypedRenderer.html(Run.class, Show::run),
                TypedRenderer.html(SweepResult.class, Show::sweep),
                chartRenderer());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static DisplayRenderer chartRenderer() {
        Class<Chart> type = Chart.class;
        return TypedRenderer.png(type, chart -> Show.pngBase64(Charts.image(chart)),
                chart -> "chart: " + chart.getTitle());
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }
}
