package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ResultsTableTest {

    private static Table runs() {
        return Table.create("runs",
                StringColumn.create("setting", "gmp", "gmp", "rigl", "gmp", "gmp", "rigl"),
                DoubleColumn.create("targetSparsity", 0.9, 0.9, 0.9, 0.98, 0.98, 0.9),
                LongColumn.create("seed", 1, 2, 1, 1, 2, 2),
                DoubleColumn.create("measuredSparsity", 0.9, 0.9, 0.9, 0.98, 0.98, 0.9),
                DoubleColumn.create("testAccuracy", 0.98, 0.96, 0.97, 0.95, 0.95, 0.99));
    }

    @Test
    void oneRowPerSettingWithOneColumnPerSeedMeanAndSampleStd() {
        Table table = ResultsTable.perSetting(runs());

        assertEquals(3, table.rowCount());
        assertEquals("[setting, targetSparsity, measuredSparsity, seed 1, seed 2, meanAccuracy, stdAccuracy]",
                table.columnNames().toString());
        // Settings keep the order of their first run: gmp 0.9, rigl 0.9, gmp 0.98.
        assertEquals("gmp", table.stringColumn("setting").get(0));
        assertEquals("rigl", table.stringColumn("setting").get(1));
        assertEquals(0.98, table.doubleColumn("targetSparsity").get(2));
        assertEquals(0.97, table.doubleColumn("meanAccuracy").get(0), 1e-12);
        // Sample std of {0.98, 0.96}: |0.02| / sqrt(2).
        assertEquals(0.02 / Math.sqrt(2), table.doubleColumn("stdAccuracy").get(0), 1e-12);
        assertEquals(0.97, table.doubleColumn("seed 1").get(1), 1e-12);
        assertEquals(0.99, table.doubleColumn("seed 2").get(1), 1e-12);
        assertEquals(0.0, table.doubleColumn("stdAccuracy").get(2), 1e-12);
    }

    @Test
    void aSeedWithoutARunIsMissingNotZero() {
        Table runs = runs().dropRows(5);
        Table table = ResultsTable.perSetting(runs);
        assertTrue(table.doubleColumn("seed 2").isMissing(1));
        assertEquals(0.97, table.doubleColumn("meanAccuracy").get(1), 1e-12);
        assertTrue(ResultsTable.markdown(table, 2).contains("| rigl | 0.90 | 0.90 | 0.97 | \u2014 | 0.97 | 0.00 |"),
                ResultsTable.markdown(table, 2));
    }

    @Test
    void markdownHasAHeaderARuleAndRightAlignedNumbers() {
        String markdown = ResultsTable.markdown(ResultsTable.perSetting(runs()), 4);
        String[] lines = markdown.split("\n");
        assertEquals("| setting | targetSparsity | measuredSparsity | seed 1 | seed 2 | meanAccuracy | stdAccuracy |", lines[0]);
        assertEquals("|---|---:|---:|---:|---:|---:|---:|", lines[1]);
        assertEquals("| gmp | 0.9000 | 0.9000 | 0.9800 | 0.9600 | 0.9700 | 0.0141 |", lines[2]);
        assertEquals(5, lines.length);
    }
}
