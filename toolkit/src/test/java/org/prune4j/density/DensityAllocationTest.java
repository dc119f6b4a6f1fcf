package org.prune4j.density;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DensityAllocationTest {

    private static final List<LayerShape> LENET = List.of(
            LayerShape.of("fc1", 300, 784), LayerShape.of("fc2", 100, 300), LayerShape.of("fc3", 10, 100));

    private static final List<LayerShape> CONV = List.of(
            LayerShape.of("conv1", 16, 3, 3, 3), LayerShape.of("conv2", 32, 16, 3, 3), LayerShape.of("fc", 10, 512));

    @Test
    void readsLikeASentence() {
        DensityAllocation a = DensityAllocation.of(LayerBudget.ERK).keepFirstDense(true).keepLastDense(false);
        assertEquals(new DensityAllocation(LayerBudget.ERK, DenseLayers.FIRST), a);
        assertEquals("ERK, first layer dense", a.toString());
        assertEquals(DenseLayers.FIRST_AND_LAST, a.keepLastDense(true).dense());
        assertEquals(DenseLayers.NONE, a.keepFirstDense(false).dense());
        assertArrayEquals(LayerBudget.UNIFORM.densities(CONV, 0.2, DenseLayers.FIRST),
                DensityAllocation.of(LayerBudget.UNIFORM).keepFirstDense(true).densities(CONV, 0.2));
    }

    @Test
    void keepCountsOfErkWithoutOverflow() {
        // d_l * n_l = eps * sum(shape) with eps = 6655/797: 9051.468, 3340.025, 918.507 (sum 13310).
        // Floors 9051 + 3340 + 918 = 13309; one more goes to the largest remainder, fc3 (0.507).
        assertArrayEquals(new long[] {9051, 3340, 919}, DensityAllocation.of(LayerBudget.ERK).keepCounts(LENET, 0.05));
    }

    @Test
    void keepCountsOfErkWithADenseLayer() {
        // 18714.340, 6905.660, 1000 (dense): floors 26619, target 26620; fc2 has the larger remainder.
        assertArrayEquals(new long[] {18714, 6906, 1000}, DensityAllocation.of(LayerBudget.ERK).keepCounts(LENET, 0.1));
    }

    @Test
    void keepCountsOfConvLayers() {
        // ERK at 0.2: 84.526, 182.576, 1764.899 -> floors 2030, two more to fc (0.899) and conv2 (0.576).
        assertArrayEquals(new long[] {84, 183, 1765}, DensityAllocation.of(LayerBudget.ERK).keepCounts(CONV, 0.2));
        // ER at 0.2: 308.864, 780.288, 942.848 -> floors 2030, two more to conv1 (0.864) and fc (0.848).
        assertArrayEquals(new long[] {309, 780, 943}, DensityAllocation.of(LayerBudget.ER).keepCounts(CONV, 0.2));
    }

    @Test
    void tiesGoToTheLowerLayerIndex() {
        // Three layers of 3 weights at 0.5: shares 1.5 each, sum 4.5 rounds half up to 5;
        // floors 3, the two extra weights go to layers 0 and 1.
        List<LayerShape> tiny = List.of(LayerShape.of("a", 1, 3), LayerShape.of("b", 1, 3), LayerShape.of("c", 1, 3));
        assertArrayEquals(new long[] {2, 2, 1}, DensityAllocation.keepCounts(tiny, new double[] {0.5, 0.5, 0.5}));
    }

    @Test
    void nearWholeSharesAreNotRoundedUpByNoise() {
        // 0.1 * 1000 is 100.00000000000001 in doubles: still exactly 100, the remainder goes elsewhere.
        List<LayerShape> layers = List.of(LayerShape.of("a", 10, 100), LayerShape.of("b", 1, 3));
        assertArrayEquals(new long[] {100, 2}, DensityAllocation.keepCounts(layers, new double[] {0.1, 0.5}));
    }

    @Test
    void denseAndEmptyLayersKeepTheirExtremes() {
        List<LayerShape> layers = List.of(LayerShape.of("a", 7, 9), LayerShape.of("b", 5, 5));
        assertArrayEquals(new long[] {63, 0}, DensityAllocation.keepCounts(layers, new double[] {1.0, 0.0}));
    }

    @ParameterizedTest(name = "densities {0}")
    @CsvSource(delimiter = '|', textBlock = """
        0.5          | 1 densities for 2 layers (needs one density per layer)
        0.5,0.5,0.5  | 3 densities for 2 layers (needs one density per layer)
        0.5,1.2      | density 1.2 of layer 'b' is outside [0, 1]
        -0.1,0.5     | density -0.1 of layer 'a' is outside [0, 1]
        """)
    void keepCountsRejectsBadDensities(String densities, String message) {
        List<LayerShape> layers = List.of(LayerShape.of("a", 2, 2), LayerShape.of("b", 2, 2));
        double[] d = java.util.Arrays.stream(densities.split(",")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(message,
                assertThrows(IllegalArgumentException.class, () -> DensityAllocation.keepCounts(layers, d)).getMessage());
    }
}
