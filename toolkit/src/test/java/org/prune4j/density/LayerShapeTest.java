package org.prune4j.density;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerShapeTest {

    @Test
    void linearHelpers() {
        LayerShape fc = LayerShape.of("fc1", 300, 784);
        assertEquals(235_200, fc.size());
        assertEquals(1084, fc.sumOfDims());
        assertEquals(300, fc.outChannels());
        assertEquals(784, fc.inChannels());
        assertEquals(1, fc.receptiveField());
        assertEquals(784, fc.fanIn());
        assertEquals(300, fc.fanOut());
        assertEquals(2, fc.rank());
        assertEquals("fc1[300, 784]", fc.toString());
    }

    @Test
    void convHelpers() {
        LayerShape conv = LayerShape.of("conv2", 32, 16, 3, 3);
        assertEquals(4608, conv.size());       // 32 * 16 * 9
        assertEquals(54, conv.sumOfDims());    // 32 + 16 + 3 + 3
        assertEquals(9, conv.receptiveField());
        assertEquals(144, conv.fanIn());       // 16 * 9
        assertEquals(288, conv.fanOut());      // 32 * 9
    }

    @Test
    void contentEqualityAndDefensiveCopies() {
        long[] dims = {10, 100};
        LayerShape a = new LayerShape("out", dims);
        dims[0] = 99;
        assertEquals(LayerShape.of("out", 10, 100), a);
        assertEquals(LayerShape.of("out", 10, 100).hashCode(), a.hashCode());
        assertNotEquals(LayerShape.of("other", 10, 100), a);
        a.shape()[0] = 7;
        assertArrayEquals(new long[] {10, 100}, a.shape());
    }

    @Test
    void rejectsBadShapes() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LayerShape.of("b", 10)).getMessage()
                .contains("shape [10] of rank 1 (needs rank >= 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LayerShape.of("e")).getMessage()
                .contains("rank 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LayerShape.of("z", 10, 0)).getMessage()
                .contains("dimension 0 in shape [10, 0] (needs every dimension >= 1)"));
        assertThrows(NullPointerException.class, () -> LayerShape.of(null, 1, 1));
    }
}
