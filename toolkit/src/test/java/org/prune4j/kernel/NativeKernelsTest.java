package org.prune4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;

import java.io.File;
import java.util.Locale;

class NativeKernelsTest extends ManagedTest {

    /** The build compiles the kernels wherever a C compiler is on the PATH: this notices a build that lost them. */
    @Test
    void theKernelsAreLoadedWhereverACompilerBuiltThem() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        boolean compiler = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            compiler |= new File(dir, "cc").canExecute();
        }
        boolean turnedOff = "false".equalsIgnoreCase(System.getProperty(NativeKernels.ENABLED_PROPERTY));
        if (linux && compiler && !turnedOff) {
            assertTrue(NativeKernels.available(), NativeKernels.status());
        }
    }

    @Test
    void onlyLoadedKernelsAndCpuFloat32TensorsAreUsable() {
        assertEquals(NativeKernels.available(), NativeKernels.usable(manager.zeros(new Shape(3))));
        assertFalse(NativeKernels.usable(manager.zeros(new Shape(3), DataType.FLOAT64)), "float32 only");
        assertFalse(NativeKernels.usable(manager.zeros(new Shape(3), DataType.INT32)), "float32 only");
    }

    @Test
    void callingMissingKernelsSaysWhy() {
        if (NativeKernels.available()) {
            NativeKernels.require();
            return;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SoftMaskKernel.softMasked(manager.zeros(new Shape(3)), 1f, 0f));
        assertTrue(e.getMessage().contains(NativeKernels.status()), e.getMessage());
    }

    /** A tensor the kernels cannot read is refused by name before any native call reads its memory. */
    @Test
    void theKernelsRefuseTensorsTheyCannotRead() {
        if (!NativeKernels.available()) {
            return;
        }
        var weights = manager.zeros(new Shape(4), DataType.FLOAT64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftMaskKernel.softMasked(weights, 1f, 0f));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
        var halves = manager.zeros(new Shape(4), DataType.FLOAT16);
        assertThrows(IllegalArgumentException.class, () -> MagnitudeBand.scan(halves, 0f, 1f, new float[4]));
        var wideThresholds = manager.zeros(new Shape(4), DataType.FLOAT64);
        e = assertThrows(IllegalArgumentException.class,
                () -> SoftMaskKernel.softMaskedEach(manager.zeros(new Shape(4)), 1f, wideThresholds));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
    }
}
