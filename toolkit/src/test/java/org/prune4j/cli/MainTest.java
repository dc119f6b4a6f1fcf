package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.data.Datasets;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String firstErrorLine() {
        return err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        --sparsity 1.5              | sparsity 1.5 is outside [0, 1)
        --sparsity -0.1             | sparsity -0.1 is outside [0, 1)
        --sparsity abc              | --sparsity 'abc' is not a number
        --model foo                 | unknown model 'foo': expected one of lenet300, lenet5, resnet20, resnet32, vgg-small
        --method magic              | unknown method 'magic': expected one of dense, static, gmp
        --method cgap --epochs 5    | --epochs 5 does not match the cgap schedule: it needs 3 (K*T*R + F); leave --epochs out to use it
        --method pgap --rounds 2 --epochs 3 | --epochs 3 does not match the pgap schedule: it needs 2 (R*T + F); leave --epochs out to use it
        --method cgap --rounds 0    | --rounds 0 is outside [1, 100000]
        --method cgap --partitioning stripes | unknown partitioning 'stripes': expected contiguous, balanced or random
        --method pgap --workers threads | unknown workers mode 'threads': expected embedded or processes
        --dataset svhn              | unknown dataset 'svhn'
        --method rigl --drop-rate 2 | drop rate 2.0 is outside (0, 1]
        --method lth --rounds 1     | --rounds 1 is outside [2, 1000]
        --method snip --snip-batches 0 | --snip-batches 0 is outside [1, 1000000]
        --method granet --interval 0 | update interval (steps) 0 must be at least 1
        --epochs 0                  | --epochs 0 is outside [1, 100000]
        --budget wide               | unknown layer budget 'wide': expected one of uniform, er, erk, global
        --interval 0                | pruning interval (steps) 0 must be at least 1
        --end-epoch 9               | GMP end epoch 9.0 is after the last epoch: expected <= 3
        --optimizer rmsprop         | unknown optimizer 'rmsprop': expected sgd or adamw
        --device tpu                | unknown device 'tpu': expected auto, cpu, gpu or gpu:N
        --colour red                | unknown option --colour
        """)
    void badOptionsExitWithTwoAndAOneLineErrorAndWriteNothing(String option, String message, @TempDir Path dir) {
        assertRefused("train", option, message, dir.resolve("run"));
    }

    /** Runs {@code command options --out out}: exit status 2, a one-line error starting with the message, nothing written. */
    private void assertRefused(String command, String options, String message, Path out) {
        String[] parts = options.trim().split(" ");
        String[] args = new String[parts.length + 3];
        args[0] = command;
        System.arraycopy(parts, 0, args, 1, parts.length);
        args[parts.length + 1] = "--out";
        args[parts.length + 2] = out.toString();

        assertEquals(2, run(args));
        assertTrue(firstErrorLine().startsWith("prune4j: " + message.trim()), firstErrorLine());
        assertFalse(Files.exists(out), "nothing may be written on bad input");
    }

    @Test
    void aMissingDatasetNamesTheFetchCommand(@TempDir Path emptyRoot) {
        String previous = System.getProperty(Datasets.ROOT_PROPERTY);
        System.setProperty(Datasets.ROOT_PROPERTY, emptyRoot.toString());
        try {
            assertEquals(2, run("train", "--dataset", "fashion-mnist", "--out", emptyRoot.resolve("x").toString()));
            assertTrue(firstErrorLine().contains("./datasets/fetch fashion-mnist"), firstErrorLine());
            assertFalse(Files.exists(emptyRoot.resolve("x")));
        } finally {
            if (previous == null) {
                System.clearProperty(Datasets.ROOT_PROPERTY);
            } else {
                System.setProperty(Datasets.ROOT_PROPERTY, previous);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        --suite fast        | unknown bench suite 'fast': expected one of steps, pdp, global, all
        --suite steps --steps 5 | --steps 5 is outside [100, 1000000]
        --repeat 3          | unknown option --repeat
        """)
    void badBenchOptionsExitWithTwoAndAOneLineError(String options, String message, @TempDir Path dir) {
        assertRefused("bench", options, message, dir.resolve("bench.csv"));
    }

    @Test
    void unknownCommandAndNoCommandExitWithTwo() {
        assertEquals(2, run("explode"));
        assertEquals(2, run());
        assertEquals(0, run("help"));
    }

    @Test
    @Tag("slow")
    void trainWritesTheSummaryAndTables(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("gmp");
        int status = run("train", "--model", "lenet300", "--dataset", "mnist", "--method", "gmp", "--sparsity", "0.8",
                "--epochs", "1", "--train-size", "6000", "--seed", "3", "--out", outDir.toString());

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        for (String file : new String[] {"history.csv", "layers.csv", "summary.json", "training.png", "layers.png"}) {
            assertTrue(Files.size(outDir.resolve(file)) > 0, file);
        }
        JsonObject summary = JsonParser.parseString(Files.readString(outDir.resolve("summary.json"))).getAsJsonObject();
        assertEquals("lenet300", summary.get("model").getAsString());
        assertEquals("gmp", summary.get("method").getAsString());
        assertEquals(0.8, summary.get("targetSparsity").getAsDouble(), 0);
        assertEquals(0.8, summary.get("measuredSparsity").getAsDouble(), 1e-4);
        assertTrue(summary.get("testAccuracy").getAsDouble() > 0.85, summary.toString());
        for (String field : new String[] {"dataset", "epochs", "trainSeconds", "stepsPerSecond"}) {
            assertTrue(summary.has(field), field);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("history") && printed.contains("layers") && printed.contains("wrote "), printed);
    }
}
