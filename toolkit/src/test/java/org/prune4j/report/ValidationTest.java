package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The records reject impossible values with one line naming the value and the accepted range. */
class ValidationTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("sparsity 1.5 outside [0,1]", () -> new EpochStats(1, 0.1, 0.9, 0.9, 1.5, 0.1, 1)),
                bad("sparsity -0.1 outside [0,1]", () -> new EpochStats(1, 0.1, 0.9, 0.9, -0.1, 0.1, 1)),
                bad("testAccuracy NaN outside [0,1]", () -> new EpochStats(1, 0.1, 0.9, Double.NaN, 0.5, 0.1, 1)),
                bad("trainAccuracy 1.01 outside [0,1]", () -> new EpochStats(1, 0.1, 1.01, 0.9, 0.5, 0.1, 1)),
                bad("loss NaN outside [0,inf)", () -> new EpochStats(1, Double.NaN, 0.9, 0.9, 0.5, 0.1, 1)),
                bad("loss -1.0 outside [0,inf)", () -> new EpochStats(1, -1, 0.9, 0.9, 0.5, 0.1, 1)),
                bad("learningRate Infinity outside [0,inf)",
                        () -> new EpochStats(1, 0.1, 0.9, 0.9, 0.5, Double.POSITIVE_INFINITY, 1)),
                bad("seconds -2.0 outside [0,inf)", () -> new EpochStats(1, 0.1, 0.9, 0.9, 0.5, 0.1, -2)),
                bad("epoch -1 outside [0,inf)", () -> new EpochStats(-1, 0.1, 0.9, 0.9, 0.5, 0.1, 1)),
                bad("nonzeros 1001 of fc outside [0,1000]", () -> new LayerStats("fc", new long[] {10, 100}, 1000, 1001)),
                bad("nonzeros -1 of fc outside [0,1000]", () -> new LayerStats("fc", new long[] {10, 100}, 1000, -1)),
                bad("parameters 999 of fc differ from the shape's 10x100 = 1000",
                        () -> new LayerStats("fc", new long[] {10, 100}, 999, 10)),
                bad("shape [10, 0] of fc has dimension 0 outside [1,inf)",
                        () -> new LayerStats("fc", new long[] {10, 0}, 0, 0)),
                bad("shape of fc must have at least one dimension", () -> new LayerStats("fc", new long[0], 1, 0)),
                bad("layer must be a non-blank string, got ' '", () -> new LayerStats(" ", new long[] {1}, 1, 0)),
                bad("targetSparsity 1.5 outside [0,1]", () -> new RunInfo("m", "d", "gmp", 1.5, 10, 1, "cpu()")),
                bad("targetSparsity NaN outside [0,1]", () -> new RunInfo("m", "d", "gmp", Double.NaN, 10, 1, "cpu()")),
                bad("epochs 0 outside [1,inf)", () -> new RunInfo("m", "d", "gmp", 0.5, 0, 1, "cpu()")),
                bad("model must be a non-blank string, got null", () -> new RunInfo(null, "d", "gmp", 0.5, 1, 1, "cpu()")),
                bad("device must be a non-blank string, got ''", () -> new RunInfo("m", "d", "gmp", 0.5, 1, 1, "")));
    }

    private static Arguments bad(String message, Supplier<?> construction) {
        return Arguments.of(message, construction);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void rejectsWithAOneLineMessageNamingTheValue(String message, Supplier<?> construction) {
        var e = assertThrows(IllegalArgumentException.class, construction::get);
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void boundaryValuesAreAccepted() {
        new EpochStats(0, 0, 0, 1, 0, 0, 0);
        new EpochStats(1, 0, 1, 0, 1, 0, 0);
        new RunInfo("m", "d", "dense", 0.0, 1, -7, "cpu()");
        new LayerStats("fc", new long[] {3}, 3, 0);
    }

    @Test
    void layerStatsCopyTheirShapeAndCompareByContent() {
        long[] shape = {300, 784};
        LayerStats layer = new LayerStats("fc1", shape, 235_200, 23_520);
        shape[0] = 1;
        layer.shape()[1] = 1;
        assertEquals(300, layer.shape()[0]);
        assertEquals(784, layer.shape()[1]);
        LayerStats same = LayerStats.of("fc1", 23_520, 300, 784);
        assertEquals(layer, same);
        assertEquals(layer.hashCode(), same.hashCode());
        assertNotEquals(layer, LayerStats.of("fc1", 23_520, 784, 300));
        assertEquals(0.1, layer.density(), 0.0);
        assertEquals("300x784", layer.shapeText());
        assertEquals("LayerStats[layer=fc1, shape=300x784, parameters=235200, nonzeros=23520]", layer.toString());
    }
}
