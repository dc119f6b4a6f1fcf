package org.prune4j.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.prune4j.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * This machine's kernel calibrations, kept in a small JSON file so that every run on the machine decides alike.
 *
 * <p>Why on disk: {@link TrainingCostModel} picks each layer's path from timings, and timings are noisy (the same
 * sparse loop measured 56 to 84 ns per kept weight in four JVMs on a shared 2-core VM). A layer whose density sits
 * between two such calibrations would take one path in one run and the other in the next, and the two paths agree
 * within float rounding, not bit for bit: the same seed would no longer give the same run. So the first calibration
 * for a machine, thread count and batch size is written here and every later run reads it. Delete the file to
 * calibrate again.
 *
 * <p>Where: {@code -Dprune4j.cacheDir}, else {@code $XDG_CACHE_HOME/prune4j}, else {@code ~/.cache/prune4j}. A file
 * that cannot be read or written costs a fresh calibration and nothing else: the run goes on.
 */
public final class CalibrationCache {

    /** The system property naming the cache folder. */
    public static final String DIRECTORY_PROPERTY = "prune4j.cacheDir";

    /** The file, in the cache folder. */
    public static final String FILE = "training-cost-model.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private CalibrationCache() {}

    /** The cache folder this JVM uses. */
    public static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "prune4j");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "prune4j");
    }

    /**
     * The model saved under {@code key}, or else {@code calibrate}'s, saved under {@code key} for the next run.
     * Synchronised: two sessions of one JVM never calibrate the same key twice.
     */
    static synchronized TrainingCostModel load(String key, Supplier<TrainingCostModel> calibrate) {
        Path file = directory().resolve(FILE);
        JsonObject all = read(file);
        if (all.has(key) && all.get(key).isJsonObject()) {
            try {
                // Gson builds the record through its constructor, which refuses costs that are not positive.
                TrainingCostModel saved = GSON.fromJson(all.get(key), TrainingCostModel.class);
                if (saved != null) {
                    return saved;
                }
            } catch (RuntimeException damaged) {
                // A damaged entry (Gson wraps the constructor's refusal) is measured again and overwritten.
            }
        }
        TrainingCostModel measured = calibrate.get();
        all.add(key, GSON.toJsonTree(measured));
        try {
            AtomicFiles.write(file, out -> out.write(GSON.toJson(all).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException unwritable) {
            // A read-only home: this JVM keeps its calibration in memory, as before the cache.
        }
        return measured;
    }

    private static JsonObject read(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            }
        } catch (IOException | RuntimeException damaged) {
            // Unreadable or not a JSON object: start over.
        }
        return new JsonObject();
    }
}
