package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Self times from nesting in a hand-made Chrome trace, and the per-op table built from two of them. */
class OpProfileTest {

    @TempDir
    Path dir;

    // Thread 1: A [0, 100) holds B [10, 40), which holds C [15, 25); D [100, 130) follows A. Thread 2: E [0, 50).
    // A metadata event ("M") is not an op.
    private static final String EVENTS = """
            {"name": "C", "ph": "X", "ts": 15, "dur": 10, "tid": 1},
            {"name": "A", "ph": "X", "ts": 0, "dur": 100, "tid": 1},
            {"name": "B", "ph": "X", "ts": 10, "dur": 30, "tid": 1},
            {"name": "D", "ph": "X", "ts": 100, "dur": 30, "tid": 1},
            {"name": "E", "ph": "X", "ts": 0, "dur": 50, "tid": "worker"},
            {"name": "thread_name", "ph": "M", "tid": 1}
            """;

    @Test
    void selfTimeIsTheDurationLessTheDirectChildrenPerStep() throws IOException {
        Path trace = Files.writeString(dir.resolve("trace.json"), "[" + EVENTS + "]");
        OpProfile profile = OpProfile.read(trace, 2);
        assertEquals(35.0, profile.self("A"), 1e-12); // (100 - 30) / 2
        assertEquals(10.0, profile.self("B"), 1e-12); // (30 - 10) / 2
        assertEquals(5.0, profile.self("C"), 1e-12);
        assertEquals(15.0, profile.self("D"), 1e-12);
        assertEquals(25.0, profile.self("E"), 1e-12);
        assertEquals(0.5, profile.calls("B"), 1e-12);
        assertEquals(0.0, profile.self("thread_name"), 0.0);
        assertEquals(90.0, profile.opMicros(), 1e-12); // outermost: A, D, E = 180 over 2 steps
    }

    @Test
    void readsTheObjectFormToo() throws IOException {
        Path trace = Files.writeString(dir.resolve("trace.json"), "{\"traceEvents\": [" + EVENTS + "]}");
        assertEquals(35.0, OpProfile.read(trace, 2).self("A"), 1e-12);
    }

    @Test
    void refusesWhatIsNotATrace() throws IOException {
        Path notTrace = Files.writeString(dir.resolve("other.json"), "{\"events\": []}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpProfile.read(notTrace, 1));
        assertEquals(notTrace + " is not a Chrome trace: expected a list of events or {\"traceEvents\": [...]}",
                e.getMessage());
    }

    @Test
    void theTableListsTheLargestOpsThenWhatIsLeftInsideAndOutsideTheOps() throws IOException {
        OpProfile ours = OpProfile.read(Files.writeString(dir.resolve("a.json"), "[" + EVENTS + "]"), 2);
        OpProfile theirs = OpProfile.read(Files.writeString(dir.resolve("b.json"),
                "[{\"name\": \"B\", \"ph\": \"X\", \"ts\": 0, \"dur\": 80, \"tid\": 1}]"), 1);
        Table table = VsPyTorchBenchmark.opTable(ours, 100.0, theirs, 90.0);
        // B leads (80 on PyTorch's side), then A, E, D, C: all five fit, so nothing is left as "other".
        assertEquals(java.util.List.of("B", "A", "E", "D", "C", "other libtorch ops",
                "outside libtorch ops (Java, JNI, own kernels / Python)", "profiled step"),
                table.stringColumn("op").asList());
        assertEquals(0.0, table.doubleColumn("Prune4J us/step").get(5), 1e-9);
        assertEquals(10.0, table.doubleColumn("Prune4J us/step").get(6), 1e-9); // 100 - 90 inside ops
        assertEquals(10.0, table.doubleColumn("PyTorch us/step").get(6), 1e-9); // 90 - 80
        assertEquals(80.0, table.doubleColumn("PyTorch us/step").get(0), 1e-9);
    }
}
