package org.prune4j.cli;

import java.util.List;

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

import java.nio.file.Files;
import java.nio.file.Path;

class MainTest {

    private final CapturedRun cli = new CapturedRun();

    private int run(String... args) {
        return cli.run(args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        --sparsity 1.5              | sparsity 1.5 is outside [0, 1)
        --sparsity -0.1             | sparsity -0.1 is outside [0, 1)
        --sparsity abc              | --sparsity 'abc' is not a number
        --model foo                 | unknown model 'foo': expected one of lenet300, mlp2048, lenet5, lenet5-caffe, resnet20, resnet32, vgg-small
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
        --optimizer rmsprop         | unknown optimizer 'rmsprop': expected sgd, sgd-nesterov or adamw
        --lr-schedule fast          | --lr-schedule 'fast': expected cosine, constant, linear or step:E1,E2[xF]
        --lr-schedule step:0,5      | --lr-schedule 'step:0,5': drop epoch 0 must be at least 1
        --lr-schedule step:5x2      | --lr-schedule 'step:5x2': drop factor 2.0 is outside (0, 1]
        --lr-schedule step:a        | --lr-schedule 'step:a': the drop epochs must be whole numbers
        --device tpu                | unknown device 'tpu': expected auto, cpu, gpu or gpu:N
        --colour red                | unknown option --colour
        --sparsity 1.0              | sparsity 1.0 is outside [0, 1)
        --also-prune embedding      | --also-prune embedding does not apply to lenet300: it masks every layer already (bert-tiny keeps its embedding and classifier dense)
        --model bert-tiny --also-prune embeddings | --also-prune 'embeddings' is not a layer bert-tiny keeps dense: expected embedding, classifier (comma-separated) or none
        stray                       | unexpected argument 'stray': options look like --name value
        --interval -5               | pruning interval (steps) -5 must be at least 1
        --method rigl --interval 0  | update interval (steps) 0 must be at least 1
        --checkpoint-every 0s       | checkpoint interval '0s' is not Ne (epochs, N >= 1, like 2e), Ns (steps, N >= 1, like 500s) or off
        --checkpoint-every 3x       | checkpoint interval '3x' is not Ne (epochs, N >= 1, like 2e), Ns (steps, N >= 1, like 500s) or off
        --resume /no/such/run       | --resume /no/such/run holds no checkpoint.p4c: expected the --out folder of a run that wrote checkpoints
        --method pgap --resume /x   | --resume and --checkpoint-every do not apply to pgap (K worker trainings per round): expected them with one training, such as gmp or cgap
        --method pgap --checkpoint-every 2e | --resume and --checkpoint-every do not apply to pgap (K worker trainings per round): expected them with one training, such as gmp or cgap
        --pattern 4:4               | N:M pattern 4:4 needs 1 <= N < M
        --pattern 2:4 --sparsity 0.9 | gmp: the 2:4 pattern fixes the sparsity at 0.5, got sparsity 0.9
        --pattern rows              | unknown pattern 'rows': expected unstructured, N:M (such as 2:4), channel, block:BxK (such as block:4x4)
        --method dense --pattern 2:4 | --pattern 2:4 needs a sparse method: static, gmp or pdp
        --lr -1                     | learning rate -1.0 must be a positive finite number
        --wd -1                     | weight decay -1.0 must be a finite number >= 0
        --method pdp --tau 0        | pdp: tau 0.0 must be a finite number > 0
        --method pdp --eps 2        | pdp: ramp eps 2.0 must be in (0, 1]
        --method pdp --warmup-epochs -1 | --warmup-epochs -1 is outside [0, 100000]
        --method granet --update-until 1.5 | update-until fraction 1.5 is outside (0, 1]
        --method granet-st --initial-sparsity 0.95 | initial sparsity 0.95 is above the final sparsity 0.9: expected <= 0.9
        --method lth --prune-fraction 1 | lth prune fraction 1.0 is outside (0, 1)
        --method lth --rewind-step -1 | lth rewind step -1 must be >= 0
        --start-epoch -1            | start epoch -1.0 must be a finite number >= 0
        --batch-size 0              | --batch-size 0 is outside [1, 1000000]
        --train-size -1             | --train-size -1 is outside [0, 2147483647]
        --seed abc                  | --seed 'abc' is not a whole number
        --epochs 2.5                | --epochs '2.5' is not a whole number
        --method cgap --partitions 0 | --partitions 0 is outside [1, 10000]
        --method cgap --step-epochs 0 | --step-epochs 0 is outside [1, 100000]
        --method cgap --finetune-epochs -1 | --finetune-epochs -1 is outside [0, 100000]
        --method cgap --partitions 5 --train-size 640 | partitions 5 exceed the 3 maskable layers: expected 1 to 3
        --method static --pattern 2:3 --train-size 640 | layer 'fc1' of shape (300, 784): fan-in 784 is not a multiple of M=3 for the 2:3 pattern
        --method static --pattern block:7x7 --sparsity 0.5 --train-size 640 | layer 'fc1' of shape (300, 784) (2-D view 300x784) is not tiled by 7x7 blocks: expected rows divisible by 7 and a fan-in divisible by 7
        --method lth --rounds 5 --train-size 640 | lth with 5 rounds needs at least 5 epochs, got 3
        --method pdp --warmup-epochs 2 --fine-tune-epochs 2 --train-size 640 | pdp: 2 warm-up and 2 fine-tune epochs leave no pruning epoch in a run of 3: expected warm-up + fine-tune < 3
        --method snip --snip-batches 100 --train-size 640 | snip batches 100 is more than the run's 30 steps
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
        assertTrue(cli.firstErrorLine().startsWith("prune4j: " + message.trim()), cli.firstErrorLine());
        assertFalse(Files.exists(out), "nothing may be written on bad input");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        export                                  | export needs --run DIR and --out FILE
        export --run /no/such/run --out x.p4j   | --run /no/such/run is not a folder: expected a train or demo output folder
        export --run /tmp --colour red          | unknown option --colour: expected one of --out, --repeats, --run, --shrink
        bench --steps                           | option --steps needs a value
        infer                                   | infer needs --model FILE (written by ./prune4j export)
        infer --model m.p4j --max-density 2     | --max-density 2.0 is outside [0, 1]
        infer --model m.p4j --repeats 5         | --repeats 5 is outside [10, 1000000]
        bench --steps 10                        | --steps 10 is outside [100, 1000000]
        bench-soak --steps 10                   | --steps 10 is outside [1000, 10000000]
        bench-soak --steps many                 | --steps 'many' is not a whole number
        bench-export --repeats 1                | --repeats 1 is outside [10, 100000]
        explode                                 | unknown command 'explode': expected demo, train, sweep, reproduce, plasticity, bench, export, infer, bench-export, bench-soak, figures, notebooks, spark-local, bench-spark or test
        """)
    void badOptionsOfTheOtherCommandsExitWithTwoAndOneLine(String command, String message) {
        assertEquals(2, run(command.trim().split(" ")));
        assertEquals("prune4j: " + message.trim(), cli.firstErrorLine());
    }

    @Test
    @Tag("slow")
    void aCorruptedMnistFileIsNamedWithItsChecksums(@TempDir Path root) throws Exception {
        Path real = Datasets.root().resolve("datasets");
        Path mnist = Files.createDirectories(root.resolve("datasets/mnist"));
        Files.copy(real.resolve("checksums.md5"), root.resolve("datasets/checksums.md5"));
        for (String file : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"}) {
            Files.createSymbolicLink(mnist.resolve(file), real.resolve("mnist").resolve(file).toRealPath());
        }
        byte[] labels = Files.readAllBytes(real.resolve("mnist/t10k-labels-idx1-ubyte"));
        labels[labels.length - 1] ^= 1;
        Files.write(mnist.resolve("t10k-labels-idx1-ubyte"), labels);
        String previous = System.getProperty(Datasets.ROOT_PROPERTY);
        System.setProperty(Datasets.ROOT_PROPERTY, root.toString());
        try {
            assertEquals(2, run("train", "--train-size", "640", "--out", root.resolve("x").toString()));
            String line = cli.firstErrorLine();
            assertTrue(line.startsWith("prune4j: MNIST file "), line);
            assertTrue(line.contains("datasets/mnist/t10k-labels-idx1-ubyte is corrupt (MD5 "), line);
            assertTrue(line.contains(", expected 27ae3e4e09519cfbb04c329615203637)"), line);
            assertTrue(line.contains("./datasets/fetch mnist"), line);
            assertEquals(1, cli.err().lines().count());
            assertFalse(Files.exists(root.resolve("x")));
        } finally {
            if (previous == null) {
                System.clearProperty(Datasets.ROOT_PROPERTY);
            } else {
                System.setProperty(Datasets.ROOT_PROPERTY, previous);
            }
        }
    }

    @Test
    @Tag("slow")
    void aNanLossStopsTrainWithOneLineNamingTheStepAndLeavesAPartialSummary(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("nan");
        // SGD at learning rate 10 (momentum 0.9) overflows LeNet-300-100 in its first epoch (NaN at step 9,
        // measured). With PyTorch's initialisation lr 1 no longer diverges within two epochs (its loss peaks
        // near 1e8 but stays finite), so the old lr 1 would not test the message.
        int status = run("train", "--lr", "10", "--epochs", "2", "--train-size", "640", "--out", outDir.toString());

        assertEquals(1, status);
        String errors = cli.err();
        assertEquals(1, errors.lines().count(), errors);
        assertTrue(errors.matches("prune4j: training diverged: the loss is (NaN|Infinity) at step \\d+ \\(epoch \\d, batch \\d+ of 10\\).*\\R"),
                errors);
        JsonObject summary = JsonParser.parseString(Files.readString(outDir.resolve("summary.json"))).getAsJsonObject();
        assertTrue(summary.get("partial").getAsBoolean(), summary.toString());
        assertFalse(Files.exists(outDir.resolve("model.params")));
    }

    @Test
    void aMissingDatasetNamesTheFetchCommand(@TempDir Path emptyRoot) {
        String previous = System.getProperty(Datasets.ROOT_PROPERTY);
        System.setProperty(Datasets.ROOT_PROPERTY, emptyRoot.toString());
        try {
            assertEquals(2, run("train", "--dataset", "fashion-mnist", "--out", emptyRoot.resolve("x").toString()));
            assertTrue(cli.firstErrorLine().contains("./datasets/fetch fashion-mnist"), cli.firstErrorLine());
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
        --suite fast        | unknown bench suite 'fast': expected one of steps, pdp, global, bert, vs-pytorch, all
        --suite steps --steps 5 | --steps 5 is outside [100, 1000000]
        --repeat 3          | unknown option --repeat
        --device tpu        | unknown device 'tpu': expected auto, cpu, gpu or gpu:N
        --device gpu:64     | device 'gpu:64' is not available: DJL sees
        """)
    void badBenchOptionsExitWithTwoAndAOneLineError(String options, String message, @TempDir Path dir) {
        assertRefused("bench", options, message, dir.resolve("bench.csv"));
    }

    @Test
    void sparkCommandsWithoutTheSparkModuleNameIt() {
        assertEquals(2, run("spark-local", "--executors", "2"));
        assertEquals("prune4j: spark-local needs the prune4j-toolkit-spark module on the class path: run it as"
                + " ./prune4j spark-local, which builds it", cli.firstErrorLine());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        train --frobnicate                      | unknown option --frobnicate                         | see: ./prune4j help train
        train --out OUT --epochs 2 --frobnicate | unknown option --frobnicate                         | see: ./prune4j help train
        train --frobnicate=3 --out OUT          | unknown option --frobnicate                         | see: ./prune4j help train
        sweep --seeds 1 --out OUT --frobnicate  | unknown option --frobnicate                         | see: ./prune4j help sweep
        bench --steps                           | option --steps needs a value                        | see: ./prune4j help bench
        train --out OUT --sparsity 2            | sparsity 2.0 is outside [0, 1)                      | see: ./prune4j help train
        explode                                 | unknown command 'explode'                           | see: ./prune4j help
        """)
    void anErrorIsOneLineAndOneHintWhereverTheBadOptionStands(String args, String error, String hint,
                                                              @TempDir Path dir) {
        // OUT stands for a fresh folder that must stay unwritten.
        String[] parts = args.trim().replace("OUT", dir.resolve("run").toString()).split(" ");
        assertEquals(2, run(parts));
        java.util.List<String> lines = cli.err().lines().toList();
        assertEquals(2, lines.size(), cli.err());
        assertTrue(lines.get(0).startsWith("prune4j: " + error.trim()), lines.get(0));
        assertEquals(hint.trim(), lines.get(1));
        assertFalse(Files.exists(dir.resolve("run")), "nothing may be written on bad input");
    }

    @Test
    void helpForOneCommandShowsItsOptionsOnly() {
        assertEquals(0, run("help", "train"));
        String help = cli.out();
        assertTrue(help.startsWith("usage: ./prune4j train [options]"), help);
        assertTrue(help.contains("--sparsity=S"), help);
        // The method settings come from the registry, with their help line.
        assertTrue(help.contains("--interval=N") && help.contains("steps between mask updates"), help);
        assertFalse(help.contains("--suite"), help);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        train --sparsty 0.5 --out OUT           | unknown option --sparsty: did you mean --sparsity?
        train --out OUT --lr-schedul cosine     | unknown option --lr-schedul: did you mean --lr-schedule?
        sweep --methds gmp,set --out OUT        | unknown option --methds: did you mean --methods?
        train --batchsize=32 --out OUT          | unknown option --batchsize: did you mean --batch-size?
        tarin --out OUT                         | unknown command 'tarin': did you mean train?
        bench-soal --steps 1000                 | unknown command 'bench-soal': did you mean bench-soak?
        """)
    void aTypoIsAnsweredWithTheNameMostLikelyMeant(String args, String error, @TempDir Path dir) {
        String[] parts = args.trim().replace("OUT", dir.resolve("run").toString()).split(" ");
        assertEquals(2, run(parts));
        assertEquals("prune4j: " + error.trim(), cli.firstErrorLine());
        assertFalse(Files.exists(dir.resolve("run")), "nothing may be written on bad input");
    }

    @Test
    void aCommandsHelpOptionShowsItsOptionsAndRunsNothing(@TempDir Path dir) {
        assertEquals(0, run("train", "--method", "rigl", "--help", "--out", dir.resolve("run").toString()));
        assertTrue(cli.out().startsWith("usage: ./prune4j train [options]"), cli.out());
        assertTrue(cli.out().contains("--drop-rate=R"), cli.out());
        assertFalse(Files.exists(dir.resolve("run")));
        assertEquals(0, run("reproduce", "--help"));
        assertTrue(cli.out().contains("usage: ./prune4j reproduce NAME [options]"), cli.out());
    }

    @Test
    void theCommandListNamesEveryCommandButTheInternalWorker() {
        assertEquals(0, run("help"));
        String help = cli.out();
        for (String command : Commands.names()) {
            assertTrue(help.contains("\n  " + command + " "), command + " in\n" + help);
        }
        assertFalse(help.contains("pgap-worker"), help);
    }

    @Test
    void sgdNesterovIsTheGraNetCodesOptimizerAndPlainSgdIsNot() {
        assertEquals("sgd x0.1 at epochs [10, 15] momentum=0.9 nesterov wd=5.0E-4",
                Main.optimizer("sgd-nesterov", 0.1, 5e-4, "step:10,15").describe().replaceAll("lr=[^ ]+ ", ""));
        assertFalse(Main.optimizer("sgd", 0.1, 5e-4, "step:10,15").describe().contains("nesterov"));
    }

    @Test
    void helpMethodsListsTheRegistryWithEachMethodsSettings() {
        assertEquals(0, run("help", "methods"));
        List<String> lines = cli.out().lines().toList();
        assertEquals("methods (--method NAME), with the settings each reads besides --sparsity:", lines.get(0));
        // 13 methods; dense reads no settings, the other 12 have a settings line each.
        assertEquals(1 + 13 + 12, lines.size(), cli.out());
        assertTrue(lines.contains("  pdp            PDP: soft masks in the forward pass, hardened at the end of pruning"), cli.out());
        assertTrue(lines.contains("                 --pattern, --tau, --warmup-epochs, --fine-tune-epochs, --eps, --budget"), cli.out());
    }

    @Test
    void unknownCommandAndNoCommandExitWithTwo() {
        assertEquals(2, run());
        assertEquals(0, run("help"));
    }

    @Test
    @Tag("slow")
    void trainWritesTheSummaryAndTables(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("gmp");
        int status = run("train", "--model", "lenet300", "--dataset", "mnist", "--method", "gmp", "--sparsity", "0.8",
                "--epochs", "1", "--train-size", "6000", "--seed", "3", "--out", outDir.toString());

        assertEquals(0, status, cli.err());
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
        String printed = cli.out();
        assertTrue(printed.contains("history") && printed.contains("layers") && printed.contains("wrote "), printed);
    }
}
