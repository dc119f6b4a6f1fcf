package org.prune4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.prune4j.report.Charts;
import org.prune4j.report.Fixtures;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Prune4J's results through the renderer API of the IJava line: jjava-jupyter's, and IJava's own. */
class RenderersTest {

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

    private static XYChart chart() {
        return Charts.series("s", "x", "y", new double[] {0, 1}, Map.of("a", new double[] {0, 1}));
    }

    private static Renderer jjava() {
        Renderer renderer = new Renderer();
        JJavaRenderers.register(renderer);
        return renderer;
    }

    private static BufferedImage decodePng(Object base64) throws Exception {
        byte[] png = Base64.getDecoder().decode((String) base64);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void tableRendersAsAnEscapedRoundedHtmlTableWithARowLimitAndATextTwin() {
        DisplayData data = jjava().render(table(25));
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("&lt;row 3&gt;"), "strings are escaped");
        assertTrue(html.contains(">0.3333<"), "doubles are rounded");
        assertFalse(html.contains("row 20"), "only the first 20 rows are shown");
        assertTrue(html.contains("… 5 more rows"), html);
        assertTrue(((String) data.getData(MIMEType.TEXT_PLAIN)).contains("demo (25 rows × 3 columns)"));
        assertNull(data.getData(MIMEType.IMAGE_PNG));
    }

    @Test
    void chartRendersAsAPngOfTheChartsSize() throws Exception {
        XYChart chart = chart();
        DisplayData data = jjava().render(chart);
        BufferedImage image = decodePng(data.getData(MIMEType.IMAGE_PNG));
        assertEquals(Charts.image(chart).getWidth(), image.getWidth());
        assertEquals("chart: s", data.getData(MIMEType.TEXT_PLAIN));
        assertNull(data.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void runAndSweepRenderAsTheirTablesAndTheSweepWithItsChart() {
        Renderer renderer = jjava();
        String run = (String) renderer.render(Fixtures.lenet()).getData(MIMEType.TEXT_HTML);
        assertEquals(2, run.split("<table", -1).length - 1, "history and layers tables: " + run);
        assertTrue(run.contains(">fc1<"), "layer names as everywhere else: " + run);
        String sweep = (String) renderer.render(Fixtures.sweep()).getData(MIMEType.TEXT_HTML);
        assertTrue(sweep.contains("<table") && sweep.contains("src=\"data:image/png;base64,"), sweep);
    }

    @Test
    void anAskedForTypeIsHonouredAndOtherValuesStayText() {
        Renderer renderer = jjava();
        DisplayData textOnly = renderer.renderAs(table(2), "text/plain");
        assertNull(textOnly.getData(MIMEType.TEXT_HTML));
        assertTrue(((String) textOnly.getData(MIMEType.TEXT_PLAIN)).contains("<row 1>"));
        DisplayData plain = renderer.render(List.of(1, 2));
        assertEquals("[1, 2]", plain.getData(MIMEType.TEXT_PLAIN));
        assertNull(plain.getData(MIMEType.TEXT_HTML));
    }

    @Test
    void registeringTwiceKeepsOneRegistration() {
        Renderer renderer = jjava();
        JJavaRenderers.register(renderer);
        String html = (String) renderer.render(table(1)).getData(MIMEType.TEXT_HTML);
        assertEquals(1, html.split("<table", -1).length - 1, html);
    }

    @Test
    void jjavaFindsTheExtensionAsAService() {
        List<String> found = ServiceLoader.load(Extension.class).stream()
                .map(provider -> provider.type().getName()).toList();
        assertTrue(found.contains(Prune4jExtension.class.getName()), "extensions found: " + found);
    }

    @Test
    void ijavasRendererShowsTheSameViews() throws Exception {
        var renderer = new io.github.spencerpark.jupyter.kernel.display.Renderer();
        IJavaRenderers.register(renderer);
        var tableData = renderer.render(table(3));
        assertEquals(jjava().render(table(3)).getData(MIMEType.TEXT_HTML),
                tableData.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_HTML));
        var chartData = renderer.render(chart());
        decodePng(chartData.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG));
    }

    @Test
    void outsideAnyKernelShowPrintsTheTextTwin() {
        assertEquals(Show.table(table(2)).text(), Notebook.text(table(2)));
        assertEquals("[1, 2]", Notebook.text(List.of(1, 2)));
    }

    @Test
    void aViewIsEitherHtmlOrAPng() {
        assertThrows(IllegalArgumentException.class, () -> new View("t", null, null));
        assertThrows(IllegalArgumentException.class, () -> new View("t", "<b>", "iVBO"));
        View image = View.of(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB)).orElseThrow();
        assertEquals("image 4x3", image.text());
        assertNull(image.html());
    }
}
