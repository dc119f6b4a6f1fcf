package org.prune4j.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.prune4j.ManagedTest;

class PatternsTest extends ManagedTest {

    private NDArray random(long... shape) {
        return manager.randomUniform(0, 1, new Shape(shape));
    }

    @ParameterizedTest
    @CsvSource({"2, 4, 6, 8", "1, 4, 3, 16", "3, 8, 5, 24"})
    void nOfMKeepsExactlyNInEveryGroupOfM(int n, int m, long out, long in) {
        check(n, m, new long[] {out, in});
    }

    @Test
    void nOfMGroupsConvolutionsAlongInputChannelsTimesKernel() {
        check(2, 4, new long[] {4, 2, 3, 2}); // fan-in 12
    }

    private void check(int n, int m, long[] shape) {
        NofM pattern = Pattern.nOfM(n, m);
        NDArray scores = random(shape);
        long keep = pattern.keepCount(scores.getShape(), 0.123);
        assertEquals(scores.size() / m * n, keep);
        float[] mask = pattern.select(scores, keep).toFloatArray();
        float[] s = scores.toFloatArray();
        for (int g = 0; g < mask.length / m; g++) {
            int kept = 0;
            float minKept = Float.MAX_VALUE;
            float maxPruned = -Float.MAX_VALUE;
            for (int j = g * m; j < (g + 1) * m; j++) {
                kept += (int) mask[j];
                if (mask[j] == 1) {
                    minKept = Math.min(minKept, s[j]);
                } else {
                    maxPruned = Math.max(maxPruned, s[j]);
                }
            }
            assertEquals(n, kept, "group " + g);
            assertTrue(minKept >= maxPruned, "group " + g + " keeps the top scores");
        }
    }

    @Test
    void nOfMBreaksTiesByIndex() {
        NDArray zeros = manager.zeros(new Shape(2, 8));
        float[] mask = Pattern.nOfM(2, 4).select(zeros, 8).toFloatArray();
        assertEquals("[1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]",
                java.util.Arrays.toString(mask));
    }

    @Test
    void nOfMRejectsBadValuesAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pattern.nOfM(4, 4));
        assertTrue(e.getMessage().contains("4:4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pattern.nOfM(0, 4));
        e = assertThrows(IllegalArgumentException.class, () -> Pattern.nOfM(2, 4).validate("fc1", new Shape(10, 6)));
        assertTrue(e.getMessage().contains("fc1") && e.getMessage().contains("(10, 6)"), e.getMessage());
    }

    @Test
    void channelKeepsWholeChannelsByNorm() {
        NDArray scores = random(6, 2, 3, 3);
        scores.set(new ai.djl.ndarray.index.NDIndex("1"), 5f);
        scores.set(new ai.djl.ndarray.index.NDIndex("4"), 4f);
        Pattern channel = Pattern.channel();
        long keep = channel.keepCount(scores.getShape(), 1.0 / 3);
        assertEquals(2 * 18, keep);
        NDArray mask = channel.select(scores, keep);
        float[] perChannel = mask.reshape(6, 18).sum(new int[] {1}).toFloatArray();
        assertEquals("[0.0, 18.0, 0.0, 0.0, 18.0, 0.0]", java.util.Arrays.toString(perChannel));
        assertThrows(IllegalArgumentException.class, () -> channel.select(scores, 17));
    }

    @Test
    void blockKeepsWholeTilesAtAnExactCount() {
        NDArray scores = random(8, 12);
        BlockPattern block = Pattern.block(2, 3);
        long keep = block.keepCount(scores.getShape(), 0.25); // 16 tiles -> 4
        assertEquals(4 * 6, keep);
        float[] tiles = block.select(scores, keep).reshape(4, 2, 4, 3).sum(new int[] {1, 3}).toFloatArray();
        int whole = 0;
        for (float t : tiles) {
            assertTrue(t == 0 || t == 6, "tile sum " + t);
            whole += t == 6 ? 1 : 0;
        }
        assertEquals(4, whole);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.validate("conv2", new Shape(7, 12)));
        assertTrue(e.getMessage().contains("conv2") && e.getMessage().contains("(7, 12)"), e.getMessage());
    }

    @Test
    void selectForcingTakesForcedPositionsFirstAndKeepsThePattern() {
        NDArray scores = manager.create(new float[] {9, 8, 7, 6, 1, 2, 3, 4}, new Shape(1, 8));
        NDArray forced = manager.create(new float[] {0, 0, 1, 1, 1, 0, 0, 0}, new Shape(1, 8));
        float[] mask = Pattern.nOfM(2, 4).selectForcing(scores, forced, 4).toFloatArray();
        assertEquals("[0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0]", java.util.Arrays.toString(mask));
    }

    @Test
    void parseKnowsEveryForm() {
        assertEquals("unstructured", Pattern.parse("unstructured").name());
        assertEquals("2:4", Pattern.parse("2:4").name());
        assertEquals("channel", Pattern.parse("channel").name());
        assertEquals("block:4x2", Pattern.parse("block:4x2").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pattern.parse("rows"));
        assertTrue(e.getMessage().contains("rows") && e.getMessage().contains("block:BxK"), e.getMessage());
    }
}
