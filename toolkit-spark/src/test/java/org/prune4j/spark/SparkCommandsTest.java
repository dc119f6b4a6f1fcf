package org.prune4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The Spark commands, found through ServiceLoader by the core's Main, answer bad input before starting anything. */
class SparkCommandsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        spark-local --executors 0         | --executors '0' is not a whole number in [1, 64]
        spark-local --executors two       | --executors 'two' is not a whole number in [1, 64]
        spark-local --port 70000          | --port '70000' is not a whole number in [0, 65535]
        spark-local --workers 2           | unknown option --workers: expected one of --executors, --port
        spark-local 2                     | unexpected argument '2': options look like --name value
        spark-local --executors           | option --executors needs a value
        bench-spark --train-size -5       | --train-size '-5' is not a whole number in [0, 2147483647]
        bench-spark --epochs 2            | unknown option --epochs: expected one of --out, --train-size
        sweep --methods gmp --executor spark://127.0.0.1 | --executor spark://127.0.0.1: expected HOST:PORT
        """)
    void badInputExitsWithTwoAndAOneLineError(String command, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(command.trim().split(" "), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, status);
        String first = err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
        assertTrue(first.startsWith("prune4j: " + message.trim()), first);
    }

    @ParameterizedTest
    @CsvSource({"spark://127.0.0.1:7077, true", "spark://localhost:7077, true", "spark://node-1:7077, false",
            "spark://10.0.0.5:7077, false"})
    void onlyALoopbackMasterMakesTheDriverBindToLoopback(String url, boolean loopback) {
        assertEquals(loopback, SparkExecutor.loopback(url));
    }

    @ParameterizedTest
    @CsvSource({"0", "65"})
    void aClusterNeedsOneToSixtyFourExecutors(int executors) {
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LocalCluster.start(executors, 0));
        assertEquals("executors " + executors + " is outside [1, 64]", error.getMessage());
    }
}
