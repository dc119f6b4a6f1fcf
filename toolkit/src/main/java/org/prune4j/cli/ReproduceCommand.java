package org.prune4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./prune4j reproduce NAME}: runs a results table's recipe file ({@code recipes/NAME.json}: a sweep and the
 * means it is expected to give, each with a tolerance band measured here) and prints the table beside the
 * expected values, each cell marked in or out of its band. {@code reproduce --list} shows the recipes and their
 * time on 2 cores. Someone on another machine, or with a GPU, checks their set-up with one command.
 *
 * <p>The exit status is 0 when every cell is in its band, 1 when one is not, 2 for a bad name or file.
 */
final class ReproduceCommand {

    /** Where the recipe files are, relative to the project root (the launcher runs from there). */
    static final Path RECIPES = Path.of("recipes");

    private ReproduceCommand() {
    }

    /** One expected cell: a setting (method label) at a sparsity, its mean test accuracy and the band around it. */
    record Expected(String setting, double sparsity, double mean, double band) {

        /** True within the band, its edge included (1e-9 absorbs the float error of |0.95 - 0.955|). */
        boolean holds(double measured) {
            return Math.abs(measured - mean) <= band + 1e-9;
        }
    }

    /** A recipe file: its title, the table it reproduces, its time on 2 cores, the sweep and the expected cells. */
    record ReproduceRecipe(String name, String title, String table, double minutes, Map<String, String> sweep,
                           List<Expected> expected) {
    }

    static int run(Options options, PrintStream out) throws IOException {
        if (options.flag("list")) {
            Path dir = Path.of(options.text("recipes", RECIPES.toString()));
            out.printf(Locale.ROOT, "%-28s %10s  %s%n", "recipe", "2 cores", "what it reproduces");
            for (String name : names(dir)) {
                ReproduceRecipe recipe = read(dir, name);
                out.printf(Locale.ROOT, "%-28s %7.0f min  %s%n", name, recipe.minutes(), recipe.title());
            }
            return 0;
        }
        String name = options.positional();
        if (name == null) {
            throw new UsageException("reproduce needs a recipe name or --list: expected one of " + names(RECIPES));
        }
        Path dir = Path.of(options.text("recipes", RECIPES.toString()));
        ReproduceRecipe recipe = read(dir, name);
        Map<String, String> sweep = new LinkedHashMap<>(recipe.sweep());
        sweep.put("out", options.text("out", "runs/reproduce/" + name));
        if (options.text("executor", null) != null) {
            sweep.put("executor", options.text("executor", null));
        }
        out.println("prune4j: reproducing " + name + ": " + recipe.title() + " (" + recipe.table() + "; about "
                + Math.round(recipe.minutes()) + " min on 2 cores)");
        int status = SweepCommand.run(Options.of(sweep, Main.sweepOptions(), Set.of()), Main.trainOptions(), out);
        if (status != 0) {
            return status;
        }
        Table results = Table.read().csv(Path.of(sweep.get("out")).resolve("results.csv").toFile());
        return compare(recipe, results, out);
    }

    /** Prints each expected cell beside the measured mean; returns 0 if all are in their bands, else 1. */
    static int compare(ReproduceRecipe recipe, Table results, PrintStream out) {
        out.println();
        out.println("| setting | sparsity | expected | band | measured | |");
        out.println("|---|---:|---:|---:|---:|---|");
        int outside = 0;
        for (Expected cell : recipe.expected()) {
            Table row = results.where(results.stringColumn("setting").isEqualTo(cell.setting())
                    .and(results.doubleColumn("targetSparsity").isCloseTo(cell.sparsity(), 1e-9)));
            String measured;
            String mark;
            if (row.rowCount() == 0) {
                measured = "missing";
                mark = "OUT";
                outside++;
            } else {
                double mean = row.doubleColumn("meanAccuracy").get(0);
                measured = String.format(Locale.ROOT, "%.4f", mean);
                mark = cell.holds(mean) ? "in" : "OUT";
                outside += cell.holds(mean) ? 0 : 1;
            }
            out.printf(Locale.ROOT, "| %s | %.2f | %.4f | ±%.4f | %s | %s |%n", cell.setting(), cell.sparsity(),
                    cell.mean(), cell.band(), measured, mark);
        }
        out.println();
        if (outside == 0) {
            out.println("prune4j: " + recipe.name() + ": all " + recipe.expected().size() + " cells within their bands");
            return 0;
        }
        out.println("prune4j: " + recipe.name() + ": " + outside + " of " + recipe.expected().size()
                + " cells outside their bands");
        return 1;
    }

    /** The recipe names in a folder: its {@code *.json} files without the extension, sorted. */
    static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".json"))
                    .map(file -> file.substring(0, file.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Reads and checks {@code dir/NAME.json}; every problem is one line naming the file. */
    static ReproduceRecipe read(Path dir, String name) {
        Path file = dir.resolve(name + ".json");
        if (!name.matches("[A-Za-z0-9._-]+") || !Files.isRegularFile(file)) {
            throw new UsageException("unknown recipe '" + name + "': expected one of " + String.join(", ", names(dir))
                    + " (./prune4j reproduce --list)");
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, String> sweep = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : json.getAsJsonObject("sweep").entrySet()) {
                sweep.put(entry.getKey(), entry.getValue().getAsString());
            }
            List<Expected> expected = new ArrayList<>();
            JsonArray cells = json.getAsJsonArray("expected");
            for (JsonElement element : cells) {
                JsonObject cell = element.getAsJsonObject();
                expected.add(new Expected(cell.get("setting").getAsString(), cell.get("sparsity").getAsDouble(),
                        cell.get("mean").getAsDouble(), cell.get("band").getAsDouble()));
            }
            return new ReproduceRecipe(name, json.get("title").getAsString(), json.get("table").getAsString(),
                    json.get("minutes").getAsDouble(), sweep, expected);
        } catch (IOException | JsonParseException | IllegalStateException | NullPointerException
                 | UnsupportedOperationException e) {
            throw new UsageException(file + " is not a reproduce recipe (" + e.getClass().getSimpleName()
                    + "): expected title, table, minutes, sweep {...} and expected [{setting, sparsity, mean, band}]");
        }
    }
}
