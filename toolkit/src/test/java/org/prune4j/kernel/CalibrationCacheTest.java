package org.prune4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The first calibration of a key is saved and every later load reads it; a damaged or unwritable file costs a calibration. */
class CalibrationCacheTest {

    private final String before = System.getProperty(CalibrationCache.DIRECTORY_PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(CalibrationCache.DIRECTORY_PROPERTY);
        } else {
            System.setProperty(CalibrationCache.DIRECTORY_PROPERTY, before);
        }
    }

    @Test
    void aSavedCalibrationIsReadInsteadOfMeasuringAgain(@TempDir Path dir) throws Exception {
        System.setProperty(CalibrationCache.DIRECTORY_PROPERTY, dir.toString());
        AtomicInteger calibrations = new AtomicInteger();
        TrainingCostModel first = CalibrationCache.load("cpu | 1 threads | batch 128", () -> {
            calibrations.incrementAndGet();
            return new TrainingCostModel(6.0, 60.0);
        });
        assertEquals(0.10, first.crossoverDensity(), 1e-12);
        assertTrue(Files.readString(dir.resolve(CalibrationCache.FILE)).contains("\"cpu | 1 threads | batch 128\""));
        // A later run measures differently (noise): it still gets the saved model, so it plans every layer alike.
        TrainingCostModel second = CalibrationCache.load("cpu | 1 threads | batch 128", () -> {
            calibrations.incrementAndGet();
            return new TrainingCostModel(6.0, 45.0);
        });
        assertEquals(first, second);
        assertEquals(1, calibrations.get());
        // Another key is measured and added beside the first.
        CalibrationCache.load("cpu | 2 threads | batch 128", () -> new TrainingCostModel(4.0, 50.0));
        String text = Files.readString(dir.resolve(CalibrationCache.FILE));
        assertTrue(text.contains("1 threads") && text.contains("2 threads"), text);
    }

    @Test
    void aDamagedFileIsMeasuredAgainAndAnUnwritableFolderOnlyCostsTheSaving(@TempDir Path dir) throws Exception {
        System.setProperty(CalibrationCache.DIRECTORY_PROPERTY, dir.toString());
        Files.writeString(dir.resolve(CalibrationCache.FILE), "{\"key\": {\"denseNsPerWeight\": -1, \"sparseNsPerKeptWeight\": 2}}");
        TrainingCostModel model = CalibrationCache.load("key", () -> new TrainingCostModel(1.0, 4.0));
        assertEquals(0.25, model.crossoverDensity(), 1e-12);
        assertEquals(model, CalibrationCache.load("key", () -> new TrainingCostModel(1.0, 2.0)));
        // A file where the folder should be: nothing can be written, the calibration is still returned.
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "not a folder");
        System.setProperty(CalibrationCache.DIRECTORY_PROPERTY, blocked.toString());
        assertEquals(0.5, CalibrationCache.load("key", () -> new TrainingCostModel(1.0, 2.0)).crossoverDensity(), 1e-12);
    }
}
