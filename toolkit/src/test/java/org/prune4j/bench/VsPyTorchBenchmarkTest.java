package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class VsPyTorchBenchmarkTest {

    /** On a machine without PyTorch for Python (CI) the suite says what to install and returns no rows. */
    @Test
    void withoutPyTorchTheSuiteSaysSoAndSkips() throws Exception {
        assumeTrue(VsPyTorchBenchmark.pythonWithTorch().isEmpty(), "this machine has PyTorch for Python");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Table table = VsPyTorchBenchmark.run(100, 1, 1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("suite vs-pytorch: skipped: no python3 that imports torch (Debian: sudo apt-get install -y"
                + " python3-torch libopenblas0-pthread; or set PRUNE4J_PYTHON)",
                bytes.toString(StandardCharsets.UTF_8).strip());
        assertEquals(0, table.rowCount());
    }
}
