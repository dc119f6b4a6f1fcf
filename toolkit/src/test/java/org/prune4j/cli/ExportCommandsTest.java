package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

/** Bad input to {@code export}, {@code infer} and {@code bench-export}: exit 2 (1 for a bad file) and one line naming it. */
class ExportCommandsTest {

    private final CapturedRun cli = new CapturedRun();

    private int run(String... args) {
        return cli.run(args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        infer                                         | infer needs --model FILE (written by ./prune4j export)
        infer --model m.p4j --max-density 1.5         | --max-density 1.5 is outside [0, 1]
        infer --model m.p4j --max-density -0.1        | --max-density -0.1 is outside [0, 1]
        infer --model m.p4j --max-density abc         | --max-density 'abc' is not a number
        infer --model m.p4j --repeats 5               | --repeats 5 is outside [10, 1000000]
        infer --model missing.p4j                     | --model missing.p4j is not a file: expected one written by ./prune4j export
        infer --model m.p4j --batch 3                 | unknown option --batch
        export --run runs/x                           | export needs --run DIR and --out FILE
        export --run missing-dir --out m.p4j          | --run missing-dir is not a folder: expected a train or demo output folder
        bench-export --repeats 5                      | --repeats 5 is outside [10, 100000]
        """)
    void badOptionsExitWithTwoAndAOneLineError(String command, String message) {
        assertEquals(2, run(command.trim().split(" ")));
        // startsWith: "unknown option" goes on to list the accepted ones.
        assertTrue(cli.firstErrorLine().startsWith("prune4j: " + message.trim()), cli.firstErrorLine());
    }

    @Test
    void aForeignModelFileExitsWithOneAndNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("foreign.p4j");
        Files.writeString(file, "not a model");
        assertEquals(1, run("infer", "--model", file.toString()));
        assertEquals("prune4j: " + file + " is not a Prune4J compressed model (no P4JZ magic at the start)", cli.firstErrorLine());
        assertFalse(cli.out().contains("accuracy"));
    }
}
