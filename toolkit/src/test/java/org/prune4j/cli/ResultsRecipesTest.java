package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * docs/results.md against recipes/: every {@code ./prune4j sweep} command printed there names, in the lines under
 * its block, the recipe that reproduces it ({@code ./prune4j reproduce NAME}); that recipe's sweep holds exactly the
 * command's options (less --out and --executor: where and how it runs, not what it computes), and its expected cells
 * are the rows of the table under the command, with the table's means and bands of max(0.01, 2 sd) (0.015 where one
 * seed was measured). Tables made before issue 17 reproduce their settings only with {@code gmp-layerwise} (and
 * {@code --model lenet5-caffe --lr 0.01} for LeNet-5), as the document says; their recipes carry those substitutions
 * and say that their means come from the pre-issue-17 table. No training: the doc and the JSON files are read.
 */
class ResultsRecipesTest {

    /** The project's files, seen from the module folder the tests run in. */
    private static final Path DOC = Path.of("..", "docs", "results.md");
    private static final Path RECIPES = Path.of("..", "recipes");

    private static final java.util.regex.Pattern REPRODUCE =
            java.util.regex.Pattern.compile("\\./prune4j reproduce ([A-Za-z0-9._-]+)`?(?: \\(about (\\d+) min)?");
    private static final java.util.regex.Pattern SEED = java.util.regex.Pattern.compile("seed \\d+");
    private static final java.util.regex.Pattern ASSIGNMENT = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");
    /** Sweep options that say where or how the sweep runs, not what it computes: a recipe leaves them out. */
    private static final Set<String> NOT_IN_RECIPE = Set.of("out", "executor");
    private static final String PRE_ISSUE_17 = "pre-issue-17";
    private static final String ONE_SEED = "one seed measured; band 0.015";

    @Test
    void everySweepInTheResultsHasARecipeWithItsOptionsAndItsTable() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Check check = check(doc, RECIPES);
        assertEquals(List.of(), check.problems(), String.join("\n", check.problems()));
        long fenced = fencedLines(doc).stream().filter(line -> line.contains("prune4j sweep")).count();
        assertTrue(fenced > 0, "no ./prune4j sweep command found in " + DOC);
        assertEquals(fenced, check.commands(), "every fenced ./prune4j sweep line is one command checked");
        assertTrue(check.cells() >= check.commands(), check.toString());
    }

    @Test
    void aCommandEditedInTheDocButNotInItsRecipeFails() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String edited = once(doc, "--update-until rigl=0.5,set=0.5 --out runs/results-dst",
                "--update-until rigl=0.5,set=0.4 --out runs/results-dst");
        List<String> problems = check(edited, RECIPES).problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("dst-lenet300-mnist") && p.contains("--update-until")
                && p.contains("set=0.4")),
                String.join("\n", problems));
    }

    @Test
    void aMeanEditedInATableButNotInItsRecipeFails() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        // The first granet 98% row is the issue-4 table's (the PDP section repeats it without a command).
        String edited = first(doc, "| 0.9819 | 0.9828 | 0.9824 | 0.0006 |", "| 0.9819 | 0.9828 | 0.9823 | 0.0006 |");
        List<String> problems = check(edited, RECIPES).problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("dst-lenet300-mnist") && p.contains("granet")
                && p.contains("0.9823")), String.join("\n", problems));
    }

    @Test
    void aRowRenamedOrASweepWithoutItsReproduceLineFails() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        List<String> renamed = check(once(doc, "| snip | 0.9800 |", "| snip-x | 0.9800 |"), RECIPES).problems();
        assertTrue(renamed.stream().anyMatch(p -> p.contains("snip-x") && p.contains("no recipe")), String.join("\n", renamed));
        assertTrue(renamed.stream().anyMatch(p -> p.contains("(snip, 0.98)") && p.contains("not a row")),
                String.join("\n", renamed));
        String line = doc.lines().filter(l -> l.startsWith("Reproduce: `./prune4j reproduce gap40-lenet5-fashion`"))
                .findFirst().orElseThrow();
        List<String> unnamed = check(once(doc, line + "\n", ""), RECIPES).problems();
        assertTrue(unnamed.stream().anyMatch(p -> p.contains("names no recipe")), String.join("\n", unnamed));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** What a check found: one line per problem, and how many commands and expected cells it compared. */
    record Check(List<String> problems, int commands, int cells) {}

    /** A markdown table: its header cells and rows of cells, and the line it starts on. */
    record MdTable(int line, List<String> header, List<List<String>> rows) {
        int column(String... names) {
            for (String name : names) {
                if (header.contains(name)) {
                    return header.indexOf(name);
                }
            }
            return -1;
        }
    }

    /** Checks a results document against a recipes folder. */
    static Check check(String doc, Path recipes) {
        List<String> problems = new ArrayList<>();
        List<String> lines = doc.lines().toList();
        Map<String, String> variables = new HashMap<>();
        int commands = 0;
        int cells = 0;
        int section = 0;    // the line of the last "## " heading: a "### " subsection inherits its section's prose
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## ")) {
                section = i;
            }
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            int open = i;
            int close = open + 1;
            while (close < lines.size() && !lines.get(close).startsWith("```")) {
                close++;
            }
            List<Map<String, String>> sweeps = sweeps(lines.subList(open + 1, Math.min(close, lines.size())), variables,
                    open + 1, problems);
            i = close;
            if (sweeps.isEmpty()) {
                continue;
            }
            commands += sweeps.size();
            String where = "the sweep block at docs/results.md line " + (open + 1);
            boolean preIssue17 = String.join("\n", lines.subList(section, open)).toLowerCase(Locale.ROOT)
                    .contains("before issue 17");
            // The prose between the block and its table names the recipes, in the order of the commands.
            int next = close + 1;
            List<String> names = new ArrayList<>();
            Map<String, Long> minutes = new HashMap<>();
            while (next < lines.size() && !lines.get(next).startsWith("|") && !lines.get(next).startsWith("```")
                    && !lines.get(next).startsWith("#")) {
                Matcher reference = REPRODUCE.matcher(lines.get(next));
                while (reference.find()) {
                    names.add(reference.group(1));
                    if (reference.group(2) != null) {
                        minutes.put(reference.group(1), Long.parseLong(reference.group(2)));
                    }
                }
                next++;
            }
            MdTable table = next < lines.size() && lines.get(next).startsWith("|") ? table(lines, next) : null;
            if (names.size() != sweeps.size()) {
                problems.add(where + " has " + sweeps.size() + " sweep command(s) but names no recipe for each"
                        + " (`./prune4j reproduce NAME` lines under it: " + names + ")");
                continue;
            }
            if (table == null) {
                problems.add(where + " has no markdown table under it");
                continue;
            }
            List<ReproduceCommand.ReproduceRecipe> read = new ArrayList<>();
            for (int k = 0; k < sweeps.size(); k++) {
                ReproduceCommand.ReproduceRecipe recipe;
                try {
                    recipe = ReproduceCommand.read(recipes, names.get(k));
                } catch (UsageException e) {
                    problems.add(where + ": " + e.getMessage());
                    continue;
                }
                read.add(recipe);
                cells += recipe.expected().size();
                String name = "recipe " + recipe.name() + " (" + where + ")";
                compareSweep(name, expectedSweep(sweeps.get(k), preIssue17), recipe.sweep(), preIssue17, problems);
                if (minutes.containsKey(recipe.name()) && minutes.get(recipe.name()) != Math.round(recipe.minutes())) {
                    problems.add(name + ": the doc says about " + minutes.get(recipe.name()) + " min, the recipe "
                            + recipe.minutes());
                }
                if (preIssue17 && !recipe.table().contains(PRE_ISSUE_17)) {
                    problems.add(name + ": its table was made before issue 17, so its \"table\" must say that the"
                            + " expected values come from the " + PRE_ISSUE_17 + " table");
                }
                compareSettings(name, recipe, problems);
                for (ReproduceCommand.Expected cell : recipe.expected()) {
                    compareCell(name, recipe, cell, table, preIssue17, problems);
                }
            }
            // Every row of a table of settings is an expected cell of one of the block's recipes.
            int setting = table.column("setting");
            int sparsity = table.column("targetSparsity");
            if (setting >= 0 && read.size() == sweeps.size()) {
                for (List<String> row : table.rows()) {
                    boolean covered = read.stream().flatMap(recipe -> recipe.expected().stream()).anyMatch(cell ->
                            plain(row.get(setting)).equals(docLabel(cell.setting(), preIssue17))
                                    && (sparsity < 0 || close(number(row.get(sparsity)), cell.sparsity())));
                    if (!covered) {
                        problems.add("row '" + row.get(setting) + "'" + (sparsity < 0 ? "" : " at " + row.get(sparsity))
                                + " of the table at docs/results.md line " + (table.line() + 1) + " is in no recipe "
                                + names);
                    }
                }
            }
        }
        return new Check(problems, commands, cells);
    }

    /** The sweep commands of a code block, each as its options; shell variables carry over from block to block. */
    static List<Map<String, String>> sweeps(List<String> block, Map<String, String> variables, int firstLine,
                                            List<String> problems) {
        List<Map<String, String>> sweeps = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : block) {
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            List<String> tokens = tokens(logical.toString());
            logical.setLength(0);
            if (tokens.size() == 1 && ASSIGNMENT.matcher(tokens.get(0)).matches()) {
                String assignment = tokens.get(0);
                variables.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
                continue;
            }
            List<String> expanded = new ArrayList<>();
            for (String token : tokens) {
                Matcher variable = VARIABLE.matcher(token);
                if (variable.matches()) {
                    String value = variables.get(variable.group(1));
                    if (value == null) {
                        problems.add("docs/results.md near line " + firstLine + ": $" + variable.group(1) + " is not set");
                    } else {
                        expanded.addAll(tokens(value));
                    }
                } else {
                    expanded.add(token);
                }
            }
            int launcher = expanded.indexOf("./prune4j");
            if (launcher < 0 || launcher + 1 >= expanded.size() || !expanded.get(launcher + 1).equals("sweep")) {
                continue;
            }
            Map<String, String> options = new LinkedHashMap<>();
            List<String> args = expanded.subList(launcher + 2, expanded.size());
            for (int a = 0; a < args.size(); a++) {
                String arg = args.get(a);
                if (!arg.startsWith("--")) {
                    problems.add("docs/results.md near line " + firstLine + ": unexpected sweep argument '" + arg + "'");
                    continue;
                }
                String name = arg.substring(2);
                String value;
                if (name.contains("=")) {
                    value = name.substring(name.indexOf('=') + 1);
                    name = name.substring(0, name.indexOf('='));
                } else if (a + 1 < args.size()) {
                    value = args.get(++a);
                } else {
                    problems.add("docs/results.md near line " + firstLine + ": --" + name + " has no value");
                    continue;
                }
                if (options.put(name, value) != null) {
                    problems.add("docs/results.md near line " + firstLine + ": --" + name + " given twice");
                }
            }
            NOT_IN_RECIPE.forEach(options::remove);
            sweeps.add(options);
        }
        return sweeps;
    }

    /** A shell line's words: quotes group and are removed, a {@code #} starting a word starts a comment. */
    static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int c = 0; c < line.length(); c++) {
            char ch = line.charAt(c);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    tokens.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (ch == '#' && !inWord) {
                break;
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    /**
     * The sweep a recipe must hold for a command: the command's options, with the document's substitutions for a
     * table made before issue 17 (gmp was layer-wise then: gmp-layerwise; its LeNet-5 is lenet5-caffe at lr 0.01).
     */
    static Map<String, String> expectedSweep(Map<String, String> command, boolean preIssue17) {
        Map<String, String> sweep = new LinkedHashMap<>(command);
        if (!preIssue17) {
            return sweep;
        }
        sweep.replaceAll((option, value) -> value.replaceAll("(^|,)gmp(?=$|,|@|=)", "$1gmp-layerwise"));
        if ("lenet5".equals(sweep.get("model"))) {
            sweep.put("model", "lenet5-caffe");
            sweep.put("lr", "0.01");
        }
        return sweep;
    }

    private static void compareSweep(String name, Map<String, String> expected, Map<String, String> actual,
                                     boolean preIssue17, List<String> problems) {
        Set<String> options = new TreeSet<>(expected.keySet());
        options.addAll(actual.keySet());
        for (String option : options) {
            String want = expected.get(option);
            String have = actual.get(option);
            if (want == null ? have != null : !want.equals(have)) {
                problems.add(name + ": sweep option --" + option + " is " + (have == null ? "missing" : "'" + have + "'")
                        + " in the recipe, " + (want == null ? "absent" : "'" + want + "'") + " from the doc's command"
                        + (preIssue17 ? " (with the pre-issue-17 substitutions)" : ""));
            }
        }
    }

    /** The recipe's expected cells are exactly the settings its sweep trains (label and target sparsity). */
    private static void compareSettings(String name, ReproduceCommand.ReproduceRecipe recipe, List<String> problems) {
        Set<String> trained;
        try {
            trained = SweepCommand.settings(Options.of(recipe.sweep(), Main.sweepOptions(), Set.of()), Main.trainOptions())
                    .stream().map(s -> key(s.label(), s.sparsity())).collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (UsageException | IllegalArgumentException e) {
            problems.add(name + ": its sweep is refused: " + e.getMessage());
            return;
        }
        Set<String> expected = recipe.expected().stream().map(cell -> key(cell.setting(), cell.sparsity()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (!trained.equals(expected)) {
            problems.add(name + ": its sweep trains " + trained + " but it expects " + expected);
        }
    }

    private static void compareCell(String name, ReproduceCommand.ReproduceRecipe recipe, ReproduceCommand.Expected cell,
                                    MdTable table, boolean preIssue17, List<String> problems) {
        String what = name + ": expected cell " + key(cell.setting(), cell.sparsity());
        int setting = table.column("setting");
        int sparsity = table.column("targetSparsity");
        List<List<String>> rows;
        if (setting >= 0) {
            String label = docLabel(cell.setting(), preIssue17);
            rows = table.rows().stream().filter(row -> plain(row.get(setting)).equals(label)
                    && (sparsity < 0 || close(number(row.get(sparsity)), cell.sparsity()))).toList();
        } else {
            // A table of one option's values (tau): its first column names the option, its rows the values.
            String value = recipe.sweep().get(table.header().get(0));
            rows = value == null ? List.of() : table.rows().stream().filter(row -> plain(row.get(0)).equals(value)).toList();
        }
        if (rows.size() != 1) {
            problems.add(what + " is not a row of the table at docs/results.md line " + (table.line() + 1)
                    + (rows.isEmpty() ? "" : " (it is " + rows.size() + " rows)"));
            return;
        }
        List<String> row = rows.get(0);
        List<Double> seeds = new ArrayList<>();
        for (int c = 0; c < table.header().size(); c++) {
            if (SEED.matcher(table.header().get(c)).matches() && !Double.isNaN(number(row.get(c)))) {
                seeds.add(number(row.get(c)));
            }
        }
        int meanColumn = table.column("meanAccuracy", "mean");
        double mean = meanColumn >= 0 ? number(row.get(meanColumn)) : Double.NaN;
        if (Double.isNaN(mean) && seeds.size() == 1) {
            mean = seeds.get(0);
        }
        if (!close(mean, cell.mean())) {
            problems.add(what + ": mean " + cell.mean() + " in the recipe, " + mean + " in the table");
        }
        double band;
        if (seeds.size() >= 2) {
            int stdColumn = table.column("stdAccuracy", "std");
            BigDecimal sd = stdColumn >= 0 && !Double.isNaN(number(row.get(stdColumn)))
                    ? new BigDecimal(row.get(stdColumn).trim()) : BigDecimal.valueOf(sampleSd(seeds));
            band = sd.multiply(BigDecimal.valueOf(2)).setScale(3, RoundingMode.CEILING).max(new BigDecimal("0.01"))
                    .doubleValue();
        } else {
            band = 0.015;
            String missing = name + ": its table has one seed, so its \"table\" must say \"" + ONE_SEED + "\"";
            if (!recipe.table().contains(ONE_SEED) && !problems.contains(missing)) {
                problems.add(missing);
            }
        }
        if (!close(band, cell.band())) {
            problems.add(what + ": band " + cell.band() + " in the recipe, " + band + " from the table");
        }
    }

    /** The markdown table starting at a line: header, separator, rows until the first line that is not a row. */
    static MdTable table(List<String> lines, int start) {
        List<String> header = cells(lines.get(start));
        List<List<String>> rows = new ArrayList<>();
        for (int r = start + 2; r < lines.size() && lines.get(r).startsWith("|"); r++) {
            List<String> row = new ArrayList<>(cells(lines.get(r)));
            while (row.size() < header.size()) {
                row.add("");
            }
            rows.add(row);
        }
        return new MdTable(start, header, rows);
    }

    private static List<String> cells(String line) {
        String inner = line.trim();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }

    /** A row's label as the doc writes it for a recipe's setting: before issue 17, gmp-layerwise was "gmp". */
    private static String docLabel(String setting, boolean preIssue17) {
        return preIssue17 && setting.startsWith("gmp-layerwise") ? "gmp" + setting.substring("gmp-layerwise".length()) : setting;
    }

    /** A cell without its trailing remark in parentheses: "gmp (global)" is gmp, "1e-3 (default)" is 1e-3. */
    private static String plain(String cell) {
        return cell.replaceAll("\\s*\\(.*\\)\\s*$", "").trim();
    }

    private static String key(String setting, double sparsity) {
        return "(" + setting + ", " + BigDecimal.valueOf(sparsity).stripTrailingZeros().toPlainString() + ")";
    }

    private static double number(String cell) {
        try {
            return Double.parseDouble(cell.trim().replace(",", ""));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) < 1e-9;
    }

    private static double sampleSd(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1));
    }

    private static List<String> fencedLines(String doc) {
        List<String> fenced = new ArrayList<>();
        boolean in = false;
        for (String line : doc.lines().toList()) {
            if (line.startsWith("```")) {
                in = !in;
            } else if (in) {
                fenced.add(line);
            }
        }
        return fenced;
    }

    /** The text with the first occurrence of {@code from} replaced; fails if there is none. */
    private static String first(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0, "expected '" + from + "' in " + DOC);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** The text with its one occurrence of {@code from} replaced; fails if there is not exactly one. */
    private static String once(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "expected one '" + from + "' in " + DOC);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }
}
