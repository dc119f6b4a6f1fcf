package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code ./prune4j reproduce}: recipe files, the in/out marks, and one real MNIST recipe within its bands. */
class ReproduceCommandTest {

    /** The project's recipes folder, seen from the module folder the tests run in. */
    private static final String RECIPES = Path.of("..", "recipes").toString();

    private final CapturedRun cli = new CapturedRun();

    @Test
    void eachCellIsMarkedInOrOutOfItsBand() {
        Table results = Table.create("results", StringColumn.create("setting", "dense", "gmp"),
                DoubleColumn.create("targetSparsity", 0.0, 0.9), DoubleColumn.create("meanAccuracy", 0.95, 0.93));
        var recipe = new ReproduceCommand.ReproduceRecipe("r", "t", "table", 1, Map.of(), List.of(
                new ReproduceCommand.Expected("dense", 0.0, 0.955, 0.005),    // 0.95 is 0.005 off: on the edge, in
                new ReproduceCommand.Expected("gmp", 0.9, 0.945, 0.01),       // 0.93 is 0.015 off: out
                new ReproduceCommand.Expected("static", 0.9, 0.92, 0.01)));   // not in the results: out
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = ReproduceCommand.compare(recipe, results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, status);
        assertTrue(out.contains("| dense | 0.00 | 0.9550 | ±0.0050 | 0.9500 | in |"), out);
        assertTrue(out.contains("| gmp | 0.90 | 0.9450 | ±0.0100 | 0.9300 | OUT |"), out);
        assertTrue(out.contains("| static | 0.90 | 0.9200 | ±0.0100 | missing | OUT |"), out);
        assertTrue(out.contains("prune4j: r: 2 of 3 cells outside their bands"), out);
    }

    @Test
    void theListShowsEveryRecipeWithItsTime() {
        assertEquals(0, cli.run("reproduce", "--list", "--recipes", RECIPES), cli.err());
        assertTrue(cli.out().lines().anyMatch(line -> line.startsWith("mnist-quick") && line.contains(" min  LeNet-300-100")),
                cli.out());
    }

    @Test
    void anUnknownRecipeOrABadFileIsOneLine(@TempDir Path dir) throws Exception {
        assertEquals(2, cli.run("reproduce", "mnist-slow", "--recipes", RECIPES));
        assertTrue(cli.firstErrorLine().startsWith("prune4j: unknown recipe 'mnist-slow': expected one of "), cli.firstErrorLine());
        assertTrue(cli.firstErrorLine().contains("mnist-quick"), cli.firstErrorLine());
        cli.reset();
        Files.writeString(dir.resolve("broken.json"), "{\"title\": \"no sweep\"}");
        assertEquals(2, cli.run("reproduce", "broken", "--recipes", dir.toString(), "--out", dir.resolve("out").toString()));
        assertTrue(cli.firstErrorLine().endsWith("expected title, table, minutes, sweep {...} and expected"
                + " [{setting, sparsity, mean, band}]"), cli.firstErrorLine());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    @Tag("slow")
    void theQuickMnistRecipeReproducesWithinItsBands(@TempDir Path dir) {
        int status = cli.run("reproduce", "mnist-quick", "--recipes", RECIPES, "--out", dir.resolve("q").toString());
        assertEquals(0, status, cli.out() + cli.err());
        assertTrue(cli.out().contains("prune4j: mnist-quick: all 3 cells within their bands"), cli.out());
    }
}
