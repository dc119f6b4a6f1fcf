package org.prune4j.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.prune4j.gap.CGap;
import org.prune4j.method.Dense;
import org.prune4j.method.Gmp;
import org.prune4j.method.Pdp;
import org.prune4j.method.StaticMask;

import java.util.List;
import java.util.Map;

/** Methods by name: the one list, building with defaults and with settings, and the errors. */
class MethodRegistryTest {

    private static MethodSettings settings(Map<String, String> values) {
        return new MapSettings(values);
    }

    @Test
    void oneListOfThirteenNames() {
        assertEquals(List.of("dense", "static", "gmp", "gmp-layerwise", "pdp", "cgap", "pgap", "granet", "granet-st",
                "rigl", "set", "snip", "lth"), MethodRegistry.NAMES);
    }

    @Test
    void byNameBuildsEveryOneTrainingMethodUnderItsOwnName() {
        assertInstanceOf(Dense.class, MethodRegistry.byName("dense", 0.5));
        assertEquals(0.0, MethodRegistry.byName("dense", 0.5).targetSparsity());
        assertInstanceOf(StaticMask.class, MethodRegistry.byName("static", 0.5));
        assertEquals(0.5, MethodRegistry.byName("static", 0.5).targetSparsity());
        assertInstanceOf(Gmp.class, MethodRegistry.byName("gmp", 0.8));
        assertEquals(0.8, MethodRegistry.byName("gmp", 0.8).targetSparsity());
        assertInstanceOf(CGap.class, MethodRegistry.byName("cgap", 0.9));
        for (MethodEntry entry : MethodRegistry.ENTRIES) {
            if (entry.buildsOneTraining()) {
                assertEquals(entry.name(), MethodRegistry.byName(entry.name(), 0.9).name());
            } else {
                // P-GaP runs several trainings: a runner, not a SparsityMethod.
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> MethodRegistry.byName(entry.name(), 0.5));
                assertEquals("pgap is a runner of several trainings, not one training's method: use"
                        + " org.prune4j.orchestrate.PGap", e.getMessage());
            }
        }
    }

    @Test
    void settingsReachTheBuilders() {
        Pdp pdp = (Pdp) MethodRegistry.build("pdp", 0.5, settings(Map.of("tau", "0.01", "pattern", "2:4")));
        assertEquals(0.01, pdp.tau(), 0.0);
        assertEquals("2:4", pdp.allocation().pattern().name());
        CGap cgap = (CGap) MethodRegistry.build("cgap", 0.9,
                settings(Map.of("partitions", "2", "step-epochs", "5", "rounds", "3", "finetune-epochs", "10")));
        // K·T·R + F = 2·5·3 + 10 epochs.
        assertEquals(40, cgap.schedule().totalEpochs());
    }

    @Test
    void unknownNamesAndContradictionsAreOneLine() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> MethodRegistry.byName("foo", 0.5));
        assertEquals("unknown method 'foo': expected one of dense, static, gmp, gmp-layerwise, pdp, cgap, pgap, granet,"
                + " granet-st, rigl, set, snip, lth", unknown.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> MethodRegistry.byName("gmp", 1.5));
        assertEquals("sparsity 1.5 is outside [0, 1)", range.getMessage());
        IllegalArgumentException global = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.build("gmp-layerwise", 0.9, settings(Map.of("budget", "global"))));
        assertEquals("--budget global contradicts gmp-layerwise: use gmp for one global threshold", global.getMessage());
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.build("dense", 0.0, settings(Map.of("pattern", "2:4"))));
        assertEquals("--pattern 2:4 needs a sparse method: static, gmp or pdp", dense.getMessage());
    }
}
