package org.prune4j.density;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LayerBudgetTest {

    private static final double TOL = 1e-9;

    /** LeNet-300-100 in DJL layout: n = 235200, 30000, 1000; total 266200; sum(shape) = 1084, 400, 110. */
    private static final List<LayerShape> LENET = List.of(
            LayerShape.of("fc1", 300, 784), LayerShape.of("fc2", 100, 300), LayerShape.of("fc3", 10, 100));

    /** Two convs and a classifier: n = 432, 4608, 5120; total 10160. */
    private static final List<LayerShape> CONV = List.of(
            LayerShape.of("conv1", 16, 3, 3, 3), LayerShape.of("conv2", 32, 16, 3, 3), LayerShape.of("fc", 10, 512));

    @Test
    void erkWithoutOverflow() {
        // density 0.05: budget 0.05 * 266200 = 13310. ERK score * n = sum(shape), so
        // eps = 13310 / (1084 + 400 + 110) = 13310 / 1594 = 6655/797 = 8.35006...
        // d1 = eps * 1084 / 235200 = 360701/9372720, d2 = eps * 400 / 30000 = 1331/11955,
        // d3 = eps * 110 / 1000 = 14641/15940 (< 1, so no layer overflows).
        double[] d = LayerBudget.ERK.densities(LENET, 0.05);
        assertArrayEquals(new double[] {0.03848413267439975, 0.11133416980342953, 0.9185069008782936}, d, TOL);
        assertKeptTotal(LENET, d, 0.05);
    }

    @Test
    void erkMakesAnOverflowingLayerDenseAndResolves() {
        // density 0.1: budget 26620, first eps = 26620 / 1594 = 16.700..., so d3 = eps * 0.11 = 1.837 > 1.
        // fc3 becomes dense (1000 weights); eps = (26620 - 1000) / (1084 + 400) = 25620 / 1484 = 915/53
        // d1 = 915/53 * 1084 / 235200 = 16531/207760, d2 = 915/53 * 400 / 30000 = 61/265.
        double[] d = LayerBudget.ERK.densities(LENET, 0.1);
        assertArrayEquals(new double[] {0.07956777050442819, 0.23018867924528302, 1.0}, d, TOL);
        assertKeptTotal(LENET, d, 0.1);
    }

    @Test
    void erkOverflowCascadesOverTwoLayers() {
        // density 0.5: budget 133100, eps = 133100 / 1594 = 83.5: d2 = 1.113 and d3 = 9.19 both overflow.
        // (RigL would move fc3 first: eps = 132100 / 1484 = 89.0, d2 = 1.187 still > 1, then fc2.)
        // With fc2 and fc3 dense: eps = (133100 - 31000) / 1084, d1 = 102100 / 235200 = 1021/2352.
        double[] d = LayerBudget.ERK.densities(LENET, 0.5);
        assertArrayEquals(new double[] {0.4340986394557823, 1.0, 1.0}, d, TOL);
        assertKeptTotal(LENET, d, 0.5);
    }

    @Test
    void erkOnConvShapesIncludesKernelDims() {
        // sum(shape) = 25, 54, 522 -> divisor 601; budget 0.2 * 10160 = 2032; eps = 2032/601 = 3.3810...
        // d1 = eps * 25/432 = 3175/16227, d2 = eps * 54/4608 = 381/9616, d3 = eps * 522/5120 = 33147/96160.
        double[] d = LayerBudget.ERK.densities(CONV, 0.2);
        assertArrayEquals(new double[] {0.19566155173476305, 0.03962146422628952, 0.3447067387687188}, d, TOL);
        assertKeptTotal(CONV, d, 0.2);
    }

    @Test
    void erOnConvShapesIgnoresKernelDims() {
        // ER score (out + in)/(out * in): 19/48, 48/512, 522/5120; score * n = 171, 432, 522 -> 1125.
        // eps = 2032/1125; d1 = eps * 19/48 = 2413/3375, d2 = eps * 48/512 = 127/750, d3 = eps * 522/5120 = 3683/20000.
        double[] d = LayerBudget.ER.densities(CONV, 0.2);
        assertArrayEquals(new double[] {0.7149629629629629, 0.16933333333333334, 0.18415}, d, TOL);
        assertKeptTotal(CONV, d, 0.2);
    }

    @Test
    void erOnTwoLinearLayers() {
        // n = 235200, 30000, total 265200; budget 26520; score * n = 1084, 400 -> 1484.
        // eps = 26520/1484 = 6630/371; d1 = eps * 1084/235200 = 59891/727160, d2 = eps * 400/30000 = 442/1855.
        double[] d = LayerBudget.ER.densities(LENET.subList(0, 2), 0.1);
        assertArrayEquals(new double[] {0.08236289124814346, 0.23827493261455526}, d, TOL);
        assertKeptTotal(LENET.subList(0, 2), d, 0.1);
    }

    @Test
    void erAndErkAgreeOnLinearLayers() {
        assertArrayEquals(LayerBudget.ERK.densities(LENET, 0.05), LayerBudget.ER.densities(LENET, 0.05), 1e-15);
    }

    @Test
    void outAndInOrderDoesNotMatter() {
        List<LayerShape> transposed = List.of(
                LayerShape.of("fc1", 784, 300), LayerShape.of("fc2", 300, 100), LayerShape.of("fc3", 100, 10));
        for (LayerBudget b : LayerBudget.values()) {
            assertArrayEquals(b.densities(LENET, 0.1), b.densities(transposed, 0.1), 1e-15, b.name());
        }
    }

    @Test
    void uniformWithoutDenseLayersIsTheDensityEverywhere() {
        assertArrayEquals(new double[] {0.1, 0.1, 0.1}, LayerBudget.UNIFORM.densities(LENET, 0.1), 1e-15);
    }

    @Test
    void uniformKeepFirstDenseLowersTheOthers() {
        // conv1 (432) dense; budget 2032; the rest share 2032 - 432 = 1600 of 4608 + 5120 = 9728: 25/152.
        double[] d = LayerBudget.UNIFORM.densities(CONV, 0.2, DenseLayers.FIRST);
        assertArrayEquals(new double[] {1.0, 0.16447368421052633, 0.16447368421052633}, d, TOL);
        assertKeptTotal(CONV, d, 0.2);
    }

    @Test
    void uniformKeepLastDense() {
        // fc3 (1000) dense; (26620 - 1000) / 265200 = 427/4420.
        double[] d = LayerBudget.UNIFORM.densities(LENET, 0.1, DenseLayers.LAST);
        assertArrayEquals(new double[] {0.09660633484162896, 0.09660633484162896, 1.0}, d, TOL);
    }

    @Test
    void erkKeepFirstAndLastDenseSolvesOverTheMiddle() {
        // conv1 and fc dense: 432 + 5120 = 5552 > budget 2032 at 0.2, so ask for 0.6: budget 6096,
        // conv2 gets (6096 - 5552) / 4608 = 544/4608 = 17/144.
        double[] d = LayerBudget.ERK.densities(CONV, 0.6, DenseLayers.FIRST_AND_LAST);
        assertArrayEquals(new double[] {1.0, 17.0 / 144, 1.0}, d, TOL);
    }

    @Test
    void denseLayersBeyondTheBudgetAreRejectedWithTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LayerBudget.UNIFORM.densities(LENET, 0.1, DenseLayers.FIRST));
        assertEquals("layers kept dense [fc1] hold 235200 weights but density 0.1 of 266200 weights keeps only"
                + " 26620.0 (needs dense weights <= density * total)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LayerBudget.ERK.densities(List.of(LayerShape.of("only", 4, 4)), 0.5, DenseLayers.LAST));
    }

    @Test
    void fullDensityKeepsEverything() {
        for (LayerBudget b : LayerBudget.values()) {
            assertArrayEquals(new double[] {1, 1, 1}, b.densities(LENET, 1.0, DenseLayers.FIRST_AND_LAST), 1e-12);
            assertArrayEquals(new double[] {1, 1, 1}, b.densities(CONV, 1.0), 1e-12, b.name());
        }
    }

    static Stream<Arguments> everyBudgetOnManyShapes() {
        List<LayerShape> resnetish = List.of(LayerShape.of("c0", 16, 3, 3, 3), LayerShape.of("c1", 16, 16, 3, 3),
                LayerShape.of("c2", 32, 16, 3, 3), LayerShape.of("c3", 64, 32, 3, 3), LayerShape.of("sc", 64, 32, 1, 1),
                LayerShape.of("fc", 10, 64));
        // fc holds 640 of 28464 weights, so keeping it dense needs density >= 0.0225: start at 0.03.
        return Stream.of(LayerBudget.values()).flatMap(b -> Stream.of(0.03, 0.05, 0.2, 0.5, 0.9, 0.999)
                .flatMap(d -> Stream.of(DenseLayers.NONE, DenseLayers.LAST)
                        .map(dense -> Arguments.of(b, resnetish, d, dense))));
    }

    @ParameterizedTest(name = "{0} at {2}, {3}")
    @MethodSource("everyBudgetOnManyShapes")
    void keptTotalIsExactAndDensitiesAreValid(LayerBudget b, List<LayerShape> layers, double density, DenseLayers dense) {
        double[] d = b.densities(layers, density, dense);
        for (double dl : d) {
            assertTrue(dl >= 0 && dl <= 1, "density " + dl);
        }
        assertKeptTotal(layers, d, density);
        long[] counts = DensityAllocation.keepCounts(layers, d);
        long total = layers.stream().mapToLong(LayerShape::size).sum();
        assertEquals(Math.round(density * total), LongStream.of(counts).sum());
    }

    @ParameterizedTest(name = "density {0}")
    @ValueSource(doubles = {0.0, -0.1, 1.0000001, 1.5, Double.NaN})
    void rejectsDensityOutsideZeroToOne(double density) {
        var e = assertThrows(IllegalArgumentException.class, () -> LayerBudget.ERK.densities(LENET, density));
        assertEquals("density " + density + " is outside (0, 1]", e.getMessage());
    }

    @Test
    void rejectsAnEmptyLayerList() {
        var e = assertThrows(IllegalArgumentException.class, () -> LayerBudget.UNIFORM.densities(List.of(), 0.5));
        assertEquals("layer list is empty (needs at least one layer)", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /** sum(d_l * n_l) == density * total up to 1e-9 relative. */
    private static void assertKeptTotal(List<LayerShape> layers, double[] d, double density) {
        double kept = 0;
        double total = 0;
        for (int l = 0; l < d.length; l++) {
            kept += d[l] * layers.get(l).size();
            total += layers.get(l).size();
        }
        assertEquals(density * total, kept, 1e-9 * density * total);
    }
}
