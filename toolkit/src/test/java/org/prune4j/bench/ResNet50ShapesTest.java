package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class ResNet50ShapesTest {

    @Test
    void fullWidthIsResNet50() {
        List<Shape> shapes = ResNet50Shapes.atWidth(1);
        // 53 convolutions (stem, 16 bottlenecks of 3, 4 projections) and the classifier.
        assertEquals(54, shapes.size());
        assertEquals(new Shape(64, 3, 7, 7), shapes.get(0));
        assertEquals(new Shape(64, 64, 1, 1), shapes.get(1));
        assertEquals(new Shape(256, 64, 1, 1), shapes.get(4));
        assertEquals(new Shape(512, 512, 3, 3), shapes.get(shapes.size() - 3));
        assertEquals(new Shape(1000, 2048), shapes.get(shapes.size() - 1));
        // torchvision's 25,557,032 parameters less 53,120 BatchNorm parameters and the 1,000 classifier biases.
        assertEquals(25_502_912, ResNet50Shapes.total(shapes));
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000_000, 5_000_000, 25_000_000})
    void scaledSetsHoldTheirTotalWithinOnePercent(long total) {
        List<Shape> shapes = ResNet50Shapes.withTotal(total);
        assertEquals(54, shapes.size());
        long got = ResNet50Shapes.total(shapes);
        assertTrue(Math.abs(got - total) <= total / 100, got + " weights for " + total);
    }

    @Test
    void tooFewWeightsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResNet50Shapes.withTotal(1000));
        assertTrue(e.getMessage().startsWith("a ResNet-50-shaped set needs at least "), e.getMessage());
    }
}
