package org.prune4j.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads Prune4J's optional fused CPU kernels ({@code toolkit/src/main/native}, built at package time where a
 * C compiler is present) and says whether a tensor can use them.
 *
 * <p>Why native code at all: PyTorch has no fused kernel for PDP's soft mask, and through DJL each step of its
 * formula is one more pass over the weights; on LeNet-300-100 those passes cost more than a third of a dense
 * training step. The kernels work on the tensors' own memory (DJL's direct buffers of contiguous CPU tensors)
 * and compute exactly the same formulas; without them every caller runs the DJL version.
 *
 * <p>{@code -Dprune4j.nativeKernels=false} keeps the library unloaded.
 */
public final class NativeKernels {

    /** The system property that turns the kernels off when set to {@code false}. */
    public static final String ENABLED_PROPERTY = "prune4j.nativeKernels";

    static final String LIBRARY = "libprune4j_kernels.so";

    private static final String STATUS;
    private static final boolean LOADED;

    static {
        String status;
        boolean loaded = false;
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))) {
            status = "turned off by -D" + ENABLED_PROPERTY + "=false";
        } else {
            try {
                Path library = locate();
                if (library == null) {
                    status = "not built for " + platform() + " (no C compiler at build time, or not Linux)";
                } else {
                    System.load(library.toString());
                    loaded = true;
                    status = "loaded from " + library;
                }
            } catch (IOException | URISyntaxException | LinkageError | SecurityException e) {
                status = "failed to load: " + e;
            }
        }
        STATUS = status;
        LOADED = loaded;
    }

    private NativeKernels() {}

    /** Whether the kernels are loaded in this JVM. */
    public static boolean available() {
        return LOADED;
    }

    /**
     * Fails unless the kernels are loaded and can read every one of {@code arrays}; the entry points call it
     * first, so that using them where they are missing gives this message instead of an UnsatisfiedLinkError,
     * and a tensor they cannot read (float16, float64, on a GPU) a message instead of a read out of bounds or
     * wrong values.
     *
     * @throws IllegalStateException naming why they are not loaded
     * @throws IllegalArgumentException naming the tensor's type, device and size, and what is accepted
     */
    static void require(NDArray... arrays) {
        if (!LOADED) {
            throw new IllegalStateException("Prune4J's fused CPU kernels are not loaded (" + STATUS
                    + "): check NativeKernels.usable(array) before calling them");
        }
        for (NDArray array : arrays) {
            if (!usable(array)) {
                throw new IllegalArgumentException("the fused CPU kernels read PyTorch float32 tensors on the CPU of at most "
                        + Integer.MAX_VALUE / Float.BYTES + " values; got " + array.getDataType() + " on "
                        + array.getDevice() + " with " + array.size() + " values ("
                        + array.getManager().getEngine().getEngineName() + ")");
            }
        }
    }

    /** Where the kernels were loaded from, or why they were not. */
    public static String status() {
        return STATUS;
    }

    /**
     * Whether the kernels can work on {@code array}: loaded, a PyTorch float32 tensor on the CPU, and small
     * enough for a direct buffer (DJL's limit, 2 GiB).
     */
    public static boolean usable(NDArray array) {
        return LOADED
                && array.getDataType() == DataType.FLOAT32
                && Device.Type.CPU.equals(array.getDevice().getDeviceType())
                && array.size() <= Integer.MAX_VALUE / Float.BYTES
                && "PyTorch".equals(array.getManager().getEngine().getEngineName());
    }

    /** os-arch as the build script names its output folder, e.g. linux-x86_64. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).split(" ")[0];
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64")) {
            arch = "x86_64";
        } else if (arch.equals("arm64")) {
            arch = "aarch64";
        }
        return os + "-" + arch;
    }

    /** The library as a file: in place from a classes folder, or copied out of a jar to a temporary file. */
    private static Path locate() throws IOException, URISyntaxException {
        URL url = NativeKernels.class.getResource("native/" + platform() + "/" + LIBRARY);
        if (url == null) {
            return null;
        }
        if ("file".equals(url.getProtocol())) {
            return Path.of(url.toURI());
        }
        Path copy = Files.createTempFile("prune4j_kernels", ".so");
        copy.toFile().deleteOnExit();
        try (InputStream in = url.openStream()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }
}
