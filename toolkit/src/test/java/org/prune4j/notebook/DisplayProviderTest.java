package org.prune4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.prune4j.report.Charts;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplayProviderTest {

    private static Table table(int rows) {
        int[] index = new int[rows];
        double[] value = new double[rows];
        String[] label = new String[rows];
        for (int i = 0; i < rows; i++) {
            index[i] = i;
            value[i] = i / 3.0;
            label[i] = "<row " + i + ">";
        }
        return Table.create("demo", IntColumn.create("index", index), DoubleColumn.create("value", value),
                StringColumn.create("label", label));
    }

    private static DisplayData render(Object value) {
        for (DisplayRenderer renderer : new Prune4jDisplayProvider().getDisplayRenderers()) {
            if (renderer.rendererClass().isAssignableFrom(value.getClass()) && renderer.canRender(null)) {
                return renderer.render(null, value);
            }
        }
        throw new AssertionError("no renderer for " + value.getClass());
    }

    @Test
    void isRegisteredAsAService() {
        List<String> found = ServiceLoader.load(DisplayProvider.class).stream()
                .map(provider -> provider.type().getName()).toList();
        assertTrue(found.contains(Prune4jDisplayProvider.class.getName()), "providers found: " + found);
    }

    @Test
    void tableRendersAsEscapedRoundedHtmlWithARowLimit() {
        DisplayData data = render(table(25));
        String html = (String) data.data().get("text/html");
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("&lt;row 3&gt;"), "strings are escaped");
        assertTrue(html.contains(">0.3333<"), "doubles are rounded");
        assertFalse(html.contains("row 20"), "only the first 20 rows are shown");
        assertTrue(html.contains("… 5 more rows"), html);
        assertTrue(((String) data.data().get("text/plain")).contains("demo (25 rows × 3 columns)"));
    }

    @Test
    void chartRendersAsPng() {
        XYChart chart = Charts.series("s", "x", "y", new double[] {0, 1}, Map.of("a", new double[] {0, 1}));
        byte[] png = Base64.getDecoder().decode((String) render(chart).data().get("image/png"));
        assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void showFallbackPrintsAlignedTextElsewhere() {
        Html html = Show.table(table(2));
        assertEquals(html.text(), html.toString());
        assertTrue(html.text().contains("    1  0.3333  <row 1>"), "numbers right-aligned, rounded: " + html.text());
    }

    @Test
    void rendererHonoursAnExplicitMimeType() {
        DisplayRenderer tables = new Prune4jDisplayProvider().getDisplayRenderers().get(1);
        assertTrue(tables.canRender("text/html"));
        assertTrue(tables.canRender("html"));
        assertFalse(tables.canRender("image/png"));
    }
}
