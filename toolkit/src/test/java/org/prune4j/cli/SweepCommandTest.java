package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.exec.TaskRunner;
import org.prune4j.exec.TrainingTask;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

class SweepCommandTest {

    private final CapturedRun cli = new CapturedRun();

    private int run(String... args) {
        return cli.run(args);
    }

    private static List<SweepCommand.Setting> settings(String... args) {
        Set<String> train = Main.trainOptions();
        String[] all = new String[args.length + 1];
        all[0] = "sweep";
        System.arraycopy(args, 0, all, 1, args.length);
        return SweepCommand.settings(Options.parse(all, 1, Main.sweepOptions(), Set.of()), train);
    }

    @Test
    void denseRunsOncePerSeedAndEveryOtherMethodPerSparsityAndSeed() {
        List<SweepCommand.Setting> settings = settings("--methods", "dense,gmp,rigl", "--sparsities", "0.9,0.98",
                "--seeds", "1,2", "--epochs", "20", "--out", "x");

        assertEquals(2 + 2 * 2 * 2, settings.size());
        assertEquals(List.of("dense-seed1", "dense-seed2", "gmp-0.9-seed1", "gmp-0.9-seed2", "gmp-0.98-seed1",
                        "gmp-0.98-seed2", "rigl-0.9-seed1", "rigl-0.9-seed2", "rigl-0.98-seed1", "rigl-0.98-seed2"),
                settings.stream().map(s -> s.dir().getFileName().toString()).toList());
        SweepCommand.Setting rigl = settings.get(8);
        assertEquals(0.98, rigl.sparsity());
        assertEquals(1, rigl.seed());
        assertEquals(List.of("--epochs", "20", "--method", "rigl", "--seed", "1", "--out",
                Path.of("x", "runs", "rigl-0.98-seed1").toString(), "--sparsity", "0.98"), rigl.trainArgs());
        assertEquals(0.0, settings.get(0).sparsity());
        assertFalse(settings.get(0).trainArgs().contains("--sparsity"), "dense has no target sparsity");
    }

    @Test
    void aSettingsTaskCarriesItsResolvedRecipeAndNoOutputFolder() {
        SweepCommand.Setting setting = settings("--methods", "gmp", "--epochs", "2", "--executor", "processes",
                "--device", "cpu", "--out", "x").get(0);
        TrainingTask task = SweepCommand.task(setting, Main.trainOptions());

        assertEquals("gmp-0.9-seed1", task.name());
        assertEquals(TrainingTask.TRAIN, task.command());
        // The recipe is the one `train` resolves from the setting's arguments: every default written out.
        TrainPlan plan = TrainPlan.of(Options.parse(setting.trainArgs().toArray(String[]::new), 0, Main.trainOptions(),
                Set.of()), Path.of("x"));
        assertEquals(plan.recipe(), task.recipe());
        assertEquals(2, task.recipe().epochs());
        assertEquals(0.9, task.recipe().sparsity());
        assertEquals(Map.of("checkpoint-every", "off", "device", "cpu"), task.options());
        assertTrue(task.inputs().isEmpty());
    }

    /** Every task, P-GaP's too, plans with checkpoints off: the sweep never resumes from a task's checkpoint. */
    @Test
    void tasksPlanWithoutCheckpoints(@TempDir Path dir) throws Exception {
        for (SweepCommand.Setting setting : settings("--methods", "gmp,pgap", "--out", "x")) {
            TrainingTask task = SweepCommand.task(setting, Main.trainOptions());
            List<String> args = TaskRunner.arguments(task, dir.resolve(setting.label()));
            String[] trainArgs = args.subList(1, args.indexOf("--out")).toArray(String[]::new);
            TrainPlan plan = TrainPlan.of(RecipeOptions.withRecipeFile(
                    Options.parse(trainArgs, 0, Main.trainOptions(), Set.of()), Main.trainOptions(), Set.of()), Path.of("x"));
            assertFalse(plan.checkpointEvery().enabled(), setting.label());
            assertEquals(task.recipe(), plan.recipe(), "the recipe file gives back the task's recipe");
        }
    }

    @Test
    void perMethodValuesReachOnlyTheirMethodAndDenseDropsThePattern() {
        List<SweepCommand.Setting> settings = settings("--methods", "dense,gmp,rigl", "--sparsities", "0.5",
                "--update-until", "rigl=0.5,set=0.4", "--pattern", "2:4");

        assertEquals("dense", settings.get(0).label());
        assertFalse(settings.get(0).trainArgs().contains("--pattern"));
        assertEquals("gmp 2:4", settings.get(1).label());
        assertEquals("gmp-2_4-0.5-seed1", settings.get(1).dir().getFileName().toString());
        assertFalse(settings.get(1).trainArgs().contains("--update-until"));
        List<String> rigl = settings.get(2).trainArgs();
        assertEquals("0.5", rigl.get(rigl.indexOf("--update-until") + 1));
        assertEquals("0.4", SweepCommand.perMethod("update-until", "rigl=0.5,set=0.4", "set"));
        assertNull(SweepCommand.perMethod("update-until", "rigl=0.5", "gmp"));
        assertEquals("0.5", SweepCommand.perMethod("update-until", "0.5", "gmp"));
    }

    @Test
    void aMethodWithItsOwnPatternIsItsOwnRowAtThePatternsSparsity() {
        List<SweepCommand.Setting> settings = settings("--methods", "dense,gmp,gmp@2:4,pdp@1:4", "--sparsities", "0.9",
                "--pattern", "unstructured");
        assertEquals(List.of("dense", "gmp", "gmp 2:4", "pdp 1:4"),
                settings.stream().map(SweepCommand.Setting::label).toList());
        List<String> nm = settings.get(2).trainArgs();
        assertEquals("gmp", nm.get(nm.indexOf("--method") + 1));
        assertEquals("2:4", nm.get(nm.indexOf("--pattern") + 1));
        assertEquals(nm.indexOf("--pattern"), nm.lastIndexOf("--pattern"), "one --pattern: " + nm);
        assertEquals("0.5", nm.get(nm.indexOf("--sparsity") + 1));
        assertEquals("gmp-2_4-0.5-seed1", settings.get(2).dir().getFileName().toString());
        List<String> quarter = settings.get(3).trainArgs();
        assertEquals("0.75", quarter.get(quarter.indexOf("--sparsity") + 1));
        assertEquals("unstructured", settings.get(1).trainArgs().get(settings.get(1).trainArgs().indexOf("--pattern") + 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        --methods gmp@3:2                        | N:M pattern
        --sparsities 0.9                         | sweep needs --methods, such as --methods gmp,rigl
        --methods gmp,magic                      | unknown method 'magic': expected one of dense, static, gmp
        --methods gmp --sparsities 0.9,1.2       | sparsity 1.2 is outside [0, 1)
        --methods gmp,,rigl                      | --methods 'gmp,,rigl' has an empty entry
        --methods gmp,gmp                        | --methods 'gmp,gmp' names 'gmp' twice
        --methods gmp --seeds 1,x                | --seeds: 'x' is not a whole number
        --methods gmp --method rigl              | --method is not a sweep option
        --methods gmp --checkpoint-every 1e      | --checkpoint-every is not a sweep option
        --methods rigl --update-until rigl=      | --update-until 'rigl=': expected one value or method=value pairs
        --methods gmp --model resnet99           | unknown model 'resnet99'
        --methods gmp --dataset svhn             | unknown dataset 'svhn'
        --methods gmp --executor threads         | unknown executor 'threads': expected local, processes, processes:N or spark://HOST:PORT
        --methods gmp --executor spark://h:7077  | --executor spark://h:7077 needs the prune4j-toolkit-spark module
        """)
    void badSweepsStopBeforeTheFirstTrainingAndWriteNothing(String option, String message, @TempDir Path dir) {
        Path outDir = dir.resolve("sweep");
        String[] parts = option.trim().split(" ");
        String[] args = new String[parts.length + 3];
        args[0] = "sweep";
        System.arraycopy(parts, 0, args, 1, parts.length);
        args[parts.length + 1] = "--out";
        args[parts.length + 2] = outDir.toString();

        assertEquals(2, run(args));
        String first = cli.firstErrorLine();
        assertTrue(first.startsWith("prune4j: " + message.trim()), first);
        assertFalse(Files.exists(outDir), "nothing may be written on bad input");
    }

    /** A real (small) sweep on MNIST: the table holds each run's own summary, and a re-run trains nothing. */
    @Test
    @Tag("slow")
    void aSweepTabulatesEachRunsSummaryAndARerunReadsThemBack(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("sweep");
        String[] args = {"sweep", "--methods", "dense,gmp", "--sparsities", "0.8", "--seeds", "1,2", "--epochs", "1",
                "--train-size", "1000", "--batch-size", "100", "--lr-schedule", "constant", "--out", outDir.toString()};
        assertEquals(0, run(args), cli.err());

        Table runs = Table.read().csv(outDir.resolve("runs.csv").toFile());
        assertEquals(4, runs.rowCount());
        for (int row = 0; row < runs.rowCount(); row++) {
            String name = row < 2 ? "dense-seed" + (row + 1) : "gmp-0.8-seed" + (row - 1);
            JsonObject summary = JsonParser.parseString(Files.readString(outDir.resolve("runs").resolve(name)
                    .resolve("summary.json"))).getAsJsonObject();
            assertEquals(summary.get("testAccuracy").getAsDouble(), runs.doubleColumn("testAccuracy").get(row), 1e-12);
            assertEquals(summary.get("measuredSparsity").getAsDouble(), runs.doubleColumn("measuredSparsity").get(row), 1e-12);
        }
        assertEquals(0.8, runs.doubleColumn("measuredSparsity").get(2), 1e-3);
        Table results = Table.read().csv(outDir.resolve("results.csv").toFile());
        assertEquals(2, results.rowCount());
        double mean = (runs.doubleColumn("testAccuracy").get(2) + runs.doubleColumn("testAccuracy").get(3)) / 2;
        assertEquals(mean, results.doubleColumn("meanAccuracy").get(1), 1e-9);
        String markdown = Files.readString(outDir.resolve("results.md"));
        assertTrue(Files.size(outDir.resolve("tradeoff.png")) > 1000);

        cli.reset();
        assertEquals(0, run(args));
        assertEquals(4, cli.out().lines().filter(l -> l.endsWith("already done, read back")).count());
        assertEquals(markdown, Files.readString(outDir.resolve("results.md")));

        // The same sweep with every setting in a JVM of its own: the same numbers, row for row.
        String[] inProcesses = args.clone();
        inProcesses[inProcesses.length - 1] = dir.resolve("processes").toString();
        String[] withExecutor = java.util.Arrays.copyOf(inProcesses, inProcesses.length + 2);
        withExecutor[inProcesses.length] = "--executor";
        withExecutor[inProcesses.length + 1] = "processes:2";
        cli.reset();
        assertEquals(0, run(withExecutor), cli.err());
        Table elsewhere = Table.read().csv(dir.resolve("processes").resolve("runs.csv").toFile());
        for (String column : List.of("testAccuracy", "measuredSparsity")) {
            for (int row = 0; row < runs.rowCount(); row++) {
                assertEquals(runs.doubleColumn(column).get(row), elsewhere.doubleColumn(column).get(row), 0.0, column + " " + row);
            }
        }
        long self = ProcessHandle.current().pid();
        assertEquals(4, cli.out().lines().filter(l -> l.matches("\\[\\d/4\\] .*, pid \\d+ on .*")
                && !l.contains("pid " + self + " ")).count(), cli.out());

        // The same folder with another recipe: refused, nothing overwritten.
        cli.reset();
        args[10] = "2";
        assertEquals(2, run(args));
        assertTrue(cli.err().contains("holds a run of another command"));
        assertEquals(markdown, Files.readString(outDir.resolve("results.md")));
    }
}
