package org.prune4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.prune4j.model.LayerNames.Kind.CONV;
import static org.prune4j.model.LayerNames.Kind.FC;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerNamesTest {

    @Test
    void eachKindIsCountedOnItsOwnInOrder() {
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2", "fc3"), LayerNames.of(List.of(CONV, CONV, FC, FC, FC)));
        assertEquals(List.of("fc1", "conv1", "fc2"), LayerNames.of(List.of(FC, CONV, FC)));
        assertEquals(List.of(), LayerNames.of(List.of()));
    }

    @Test
    void aShapeWithSpatialDimensionsIsAConvolution() {
        assertEquals(FC, LayerNames.kindOfShape(new long[] {300, 784}));
        assertEquals(CONV, LayerNames.kindOfShape(new long[] {6, 1, 5, 5}));
    }
}
