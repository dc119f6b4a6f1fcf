package org.prune4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;

import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.kernel.NativeKernels;
import org.prune4j.train.Devices;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./prune4j bench}: runs the step, PDP and global-pruning suites (see {@link StepBenchmark} and
 * {@link GlobalPruningBenchmark}), prints one table per suite and writes them together as CSV on request.
 */
public final class Bench {

    /**
     * The suites {@code --suite} accepts; {@code all} runs steps, pdp and global ({@code bert} needs IMDB and takes
     * about 5 minutes on 2 cores, and {@code vs-pytorch} needs a python3 with torch, so they run on request only).
     */
    public static final List<String> SUITES = List.of("steps", "pdp", "global", "bert", "vs-pytorch", "all");

    private Bench() {}

    /**
     * Runs one suite, or all of them.
     *
     * @param suite one of {@link #SUITES}
     * @param steps measured steps per variant for LeNet-300-100 in the step suites (LeNet-5: half)
     * @param csv   where to write the results, or null
     * @return the tables, one per suite, in the order run
     * @throws IllegalArgumentException naming an unknown suite and the known ones
     */
    public static List<Table> run(String suite, int steps, Path csv, PrintStream out) throws IOException {
        return run(suite, steps, Devices.auto(), csv, out);
    }

    /**
     * Runs one suite, or all of them, on the given device (every session and array of the suites lives there).
     *
     * @param suite  one of {@link #SUITES}
     * @param steps  measured steps per variant for LeNet-300-100 in the step suites (LeNet-5: half)
     * @param device where the measured steps and prunings run, e.g. {@link Devices#parse(String)}'s result
     * @param csv    where to write the results, or null
     * @return the tables, one per suite, in the order run
     * @throws IllegalArgumentException naming an unknown suite and the known ones
     */
    public static List<Table> run(String suite, int steps, Device device, Path csv, PrintStream out)
            throws IOException {
        return run(suite, steps, VsPyTorchBenchmark.WIDE_RUN_EPOCHS, device, csv, out);
    }

    /**
     * The same, with the epochs of vs-pytorch's 784-2048-2048-10 runs (issue 21 asks for 20; a dense PyTorch epoch
     * of it takes over a minute at one thread, so the default is {@link VsPyTorchBenchmark#WIDE_RUN_EPOCHS}).
     *
     * @param wideEpochs epochs of each vs-pytorch mlp2048 run, at least 1
     */
    public static List<Table> run(String suite, int steps, int wideEpochs, Device device, Path csv, PrintStream out)
            throws IOException {
        if (!SUITES.contains(suite)) {
            throw new IllegalArgumentException("unknown bench suite '" + suite + "': expected one of "
                    + String.join(", ", SUITES));
        }
        if (suite.equals("vs-pytorch")) {
            // Its own JVM thread setting and child processes: not mixed with the other suites' output.
            Table table = VsPyTorchBenchmark.run(steps, 3, wideEpochs, out);
            if (csv != null) {
                write(List.of(table), csv);
                out.println("wrote " + csv);
            }
            return List.of(table);
        }
        List<String> suites = suite.equals("all") ? List.of("steps", "pdp", "global") : List.of(suite);
        out.printf(Locale.ROOT, "prune4j bench: suites %s, %s %s, device %s, %d cores%n", String.join(", ", suites),
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), device,
                Runtime.getRuntime().availableProcessors());
        out.println("fused CPU kernels: " + NativeKernels.status());
        DataSplit data = suites.contains("steps") || suites.contains("pdp") ? Datasets.mnist() : null;
        List<Table> tables = new ArrayList<>();
        for (String name : suites) {
            long started = System.nanoTime();
            tables.add(name.equals("global") ? GlobalPruningBenchmark.run(device, out)
                    : StepBenchmark.run(name, steps, name.equals("bert") ? imdbForSteps() : data, device, out));
            out.printf(Locale.ROOT, "suite %s done in %.0f s%n%n", name, (System.nanoTime() - started) / 1e9);
        }
        if (csv != null) {
            write(tables, csv);
            out.println("wrote " + csv);
        }
        return tables;
    }

    /** Enough IMDB training reviews that no measured step repeats a batch (the test reviews are not used). */
    private static DataSplit imdbForSteps() {
        return Datasets.imdb().split().subset(8_192, 64);
    }

    /** All tables in one CSV, with a column naming the suite table each row comes from. */
    private static void write(List<Table> tables, Path csv) throws IOException {
        Table all = null;
        for (Table table : tables) {
            Table copy = table.copy();
            StringColumn suite = StringColumn.create("suite");
            for (int i = 0; i < copy.rowCount(); i++) {
                suite.append(table.name());
            }
            copy.insertColumn(0, suite);
            all = all == null ? copy : all.append(copy);
        }
        Path dir = csv.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        all.write().csv(csv.toFile());
    }
}
