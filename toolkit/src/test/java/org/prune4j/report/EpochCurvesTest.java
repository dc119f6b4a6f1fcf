package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

class EpochCurvesTest {

    private static Table history(String[] settings, int[] epochs, double[] accuracy, double[] sparsity) {
        return Table.create("history", StringColumn.create("setting", settings), IntColumn.create("epoch", epochs),
                DoubleColumn.create("testAccuracy", accuracy), DoubleColumn.create("sparsity", sparsity));
    }

    @Test
    void oneAccuracyAndOneDashedSparsitySeriesPerSettingInEpochOrder() {
        // Rows out of epoch order: the chart sorts each run by epoch.
        Table table = history(new String[] {"cgap", "cgap", "gmp", "gmp"}, new int[] {2, 1, 1, 2},
                new double[] {0.46, 0.86, 0.80, 0.85}, new double[] {0.90, 0.07, 0.30, 0.60});
        XYChart chart = EpochCurves.chart("title", table);
        assertEquals(List.of("cgap accuracy", "gmp accuracy", "cgap sparsity", "gmp sparsity"),
                List.copyOf(chart.getSeriesMap().keySet()));
        XYSeries cgapAccuracy = chart.getSeriesMap().get("cgap accuracy");
        assertArrayEquals(new double[] {1, 2}, cgapAccuracy.getXData());
        assertArrayEquals(new double[] {0.86, 0.46}, cgapAccuracy.getYData());
        XYSeries cgapSparsity = chart.getSeriesMap().get("cgap sparsity");
        assertArrayEquals(new double[] {0.07, 0.90}, cgapSparsity.getYData());
        assertEquals(1, cgapSparsity.getYAxisGroup(), "sparsity is on the right axis");
        assertEquals(0, cgapAccuracy.getYAxisGroup());
    }

    @Test
    void runsWithDifferentEpochsAreRefused() {
        Table table = history(new String[] {"cgap", "cgap", "gmp"}, new int[] {1, 2, 1},
                new double[] {0.86, 0.46, 0.80}, new double[] {0.07, 0.90, 0.30});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EpochCurves.chart("t", table));
        assertTrue(e.getMessage().contains("setting gmp has 1 epochs where the first setting has 2"), e.getMessage());
    }

    @Test
    void aMissingColumnIsNamed() {
        Table table = Table.create("history", StringColumn.create("setting", "gmp"), IntColumn.create("epoch", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EpochCurves.chart("t", table));
        assertTrue(e.getMessage().startsWith("the history table has no column 'testAccuracy'"), e.getMessage());
    }
}
