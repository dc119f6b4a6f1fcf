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
        --method pgap --workers processes --executor local | --workers is the old name of --executor: give only --executor
        --method pgap --executor yarn   | unknown executor 'yarn': expected local, processes, processes:N or spark://HOST:PORT
        --method pgap --executor processes:0 | --executor processes:0: the number of processes '0' is not a whole number in [1, 1024]
        --method pgap --executor spark:// | --executor spark://: expected HOST:PORT after spark://, such as spark://127.0.0.1:7077
        --method pgap --executor spark://node1 | --executor spark://node1: expected HOST:PORT after spark://, such as spark://127.0.0.1:7077
        --method pgap --executor spark://127.0.0.1:7077 | --executor spark://127.0.0.1:7077 needs the prune4j-toolkit-spark module on the class path
        --method gmp --executor processes | --executor processes applies to pgap (its workers) and to sweep (its settings); a gmp training runs in this JVM
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
        --lr-schedule fast          | --lr-schedule 'fast': expected cosine, constant, linear or step:E1,E2[xF]
        --lr-schedule step:0,5      | --lr-schedule 'step:0,5': drop epoch 0 must be at least 1
        --lr-schedule step:5x2      | --lr-schedule 'step:5x2': drop factor 2.0 is outside (0, 1]
        --lr-schedule step:a        | --lr-schedule 'step:a': the drop epochs must be whole numbers
        --device tpu                | unknown device 'tpu': expected auto, cpu, gpu or gpu:N
        --colour red                | unknown option --colour
        """)
    void badOptionsExitWithTwoAndAOneLineErrorAndWriteNothing(String option, String message, @TempDir Path dir) {
        Path outDir = dir.resolve("run");
        String[] parts = option.trim().split(" ");
        String[] args = new String[parts.length + 3];
        args[0] = "train";
        System.arraycopy(parts, 0, args, 1, parts.length);
        args[parts.length + 1] = "--out";
        args[parts.length + 2] = outDir.toString();

        assertEquals(2, run(args));
        assertTrue(firstErrorLine().startsWith("prune4j: " + message.trim()), firstErrorLine());
        assertFalse(Files.exists(outDir), "nothing may be written on bad input");
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

    @Test
    void sparkCommandsWithoutTheSparkModuleNameIt() {
        assertEquals(2, run("spark-local", "--executors", "2"));
        assertEquals("prune4j: spark-local needs the prune4j-toolkit-spark module on the class path: run it as"
                + " ./prune4j spark-local, which builds it", firstErrorLine());
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
