package org.prune4j.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class PartitioningTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    private static final long[] SIZES = {10, 500, 30, 400, 20};

    @Test
    void contiguousCutsInLayerOrderFirstGroupsLonger() {
        assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4)),
                Partitioning.contiguous().split(NAMES, SIZES, 3, new Random(1), List.of()));
        assertEquals(List.of(List.of(0), List.of(1), List.of(2), List.of(3), List.of(4)),
                Partitioning.contiguous().split(NAMES, SIZES, 5, new Random(1), List.of()));
        assertEquals(List.of(List.of(0, 1, 2, 3, 4)), Partitioning.contiguous().split(NAMES, SIZES, 1, null, List.of()));
    }

    @Test
    void balancedGreedyLargestFirst() {
        // 500 -> g0, 400 -> g1, 30 -> g1 (430 < 500), 20 -> g1 (450), 10 -> g1 (460)
        assertEquals(List.of(List.of(0, 2, 3, 4), List.of(1)),
                Partitioning.balanced().split(NAMES, SIZES, 2, null, List.of()));
        // LeNet-300-100: the first layer alone, then the other two
        assertEquals(List.of(List.of(0), List.of(1, 2)),
                Partitioning.balanced().split(List.of("fc1", "fc2", "fc3"), new long[] {235200, 30000, 1000}, 2, null, List.of()));
    }

    @Test
    void randomCoversEveryLayerAndNeverStartsWithTheLastGrownSet() {
        Random random = new Random(7);
        List<Integer> last = List.of();
        for (int round = 0; round < 200; round++) {
            List<List<Integer>> groups = Partitioning.random().split(NAMES, SIZES, 5, random, last);
            List<Integer> all = new ArrayList<>();
            groups.forEach(all::addAll);
            all.sort(null);
            assertEquals(List.of(0, 1, 2, 3, 4), all);
            assertNotEquals(last, groups.get(0), "round " + round);
            last = groups.get(groups.size() - 1);
        }
    }

    @Test
    void randomDrawsDiffer() {
        Random random = new Random(3);
        List<List<Integer>> first = Partitioning.random().split(NAMES, SIZES, 2, random, List.of());
        boolean changed = false;
        for (int i = 0; i < 20 && !changed; i++) {
            changed = !first.equals(Partitioning.random().split(NAMES, SIZES, 2, random, List.of()));
        }
        assertTrue(changed);
    }

    @Test
    void explicitByNames() {
        Partitioning explicit = Partitioning.explicit(List.of(List.of("e", "a"), List.of("b", "c", "d")));
        assertEquals(2, explicit.fixedCount());
        assertEquals(List.of(List.of(0, 4), List.of(1, 2, 3)), explicit.split(NAMES, SIZES, 2, null, List.of()));
    }

    @Test
    void messages() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Partitioning.explicit(List.of(List.of("a", "zz"), List.of("b", "c", "d", "e"))).split(NAMES, SIZES, 2, null, List.of()));
        assertEquals("unknown layer 'zz' in explicit partitioning: expected one of [a, b, c, d, e]", unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Partitioning.explicit(List.of(List.of("a"), List.of("b", "c", "d"))).split(NAMES, SIZES, 2, null, List.of()));
        assertTrue(missing.getMessage().startsWith("layer 'e' is in no explicit partition"), missing.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Partitioning.explicit(List.of(List.of("a", "b"), List.of("b", "c", "d", "e"))).split(NAMES, SIZES, 2, null, List.of()));
        assertTrue(twice.getMessage().startsWith("layer 'b' is in partitions 0 and 1"), twice.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Partitioning.contiguous().split(NAMES, SIZES, 6, null, List.of()));
        assertEquals("partitions 6 exceed the 5 maskable layers: expected 1 to 5", tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Partitioning.parse("stripes"));
    }

    @Test
    void scheduleValidationAndTimetable() {
        GapSchedule schedule = new GapSchedule(3, 2, 2, 4);
        assertEquals(16, schedule.totalEpochs());
        assertEquals(0, schedule.grownSlotAt(1));
        assertEquals(1, schedule.grownSlotAt(2));
        assertEquals(0, schedule.grownSlotAt(6));
        assertEquals(1, schedule.roundAt(6));
        assertEquals(-1, schedule.grownSlotAt(12));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> schedule.checkEpochs("cgap", 10));
        assertEquals("cgap schedule needs K*T*R + F = 3*2*2 + 4 = 16 epochs, the run has 10", wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GapSchedule(0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new GapSchedule(1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new GapSchedule(1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GapSchedule(1, 1, 1, -1));
        long[] sizes = {100, 100};
        long[] keep = {10, 10};
        List<List<Integer>> groups = List.of(List.of(0), List.of(1));
        var table = new GapSchedule(2, 1, 1, 1).table(List.of("a", "b"), sizes, keep, groups);
        assertEquals(3, table.rowCount());
        assertEquals(0.45, table.doubleColumn("total sparsity").get(0), 1e-12);
        assertEquals(0.9, table.doubleColumn("total sparsity").get(2), 1e-12);
        var chart = new GapSchedule(2, 1, 1, 1).chart("t", sizes, keep, groups);
        assertEquals(3, chart.getSeriesMap().size());
    }
}
