package org.prune4j.gap;

import org.knowm.xchart.XYChart;
import org.prune4j.report.Charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The timetable of grow-and-prune: K partitions, T epochs per step, R rounds of K steps, then F epochs of
 * fine-tuning with the mask fixed (methods.md, "GaP"). Total epochs = K·T·R + F. Pure: no model needed,
 * so the schedule can be tabulated and charted before training ({@link #table}, {@link #chart}).
 *
 * @param partitions    K, at least 1
 * @param stepEpochs    T, epochs one partition stays grown, at least 1
 * @param rounds        R, at least 1
 * @param finetuneEpochs F, at least 0
 */
public record GapSchedule(int partitions, int stepEpochs, int rounds, int finetuneEpochs) {

    /** Validates; messages name the bad value and the accepted range. */
    public GapSchedule {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be at least 1");
        }
        if (stepEpochs < 1) {
            throw new IllegalArgumentException("step epochs " + stepEpochs + " must be at least 1");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds " + rounds + " must be at least 1");
        }
        if (finetuneEpochs < 0) {
            throw new IllegalArgumentException("fine-tune epochs " + finetuneEpochs + " must be at least 0");
        }
    }

    /** Epochs of growing and pruning: K·T·R. */
    public int growEpochs() {
        return partitions * stepEpochs * rounds;
    }

    /** Epochs of a C-GaP run: K·T·R + F. */
    public int totalEpochs() {
        return growEpochs() + finetuneEpochs;
    }

    /** GaP steps in the run: K·R. */
    public int steps() {
        return partitions * rounds;
    }

    /**
     * Checks that a run has exactly the schedule's epochs.
     *
     * @throws IllegalArgumentException naming both counts and the formula
     */
    public void checkEpochs(String method, int epochs) {
        if (epochs != totalEpochs()) {
            throw new IllegalArgumentException(method + " schedule needs K*T*R + F = " + partitions + "*" + stepEpochs
                    + "*" + rounds + " + " + finetuneEpochs + " = " + totalEpochs() + " epochs, the run has " + epochs);
        }
    }

    /** The partition slot (0 to K-1) grown during a 0-based epoch, or -1 during the fine-tune. */
    public int grownSlotAt(int epoch) {
        return epoch < growEpochs() ? (epoch / stepEpochs) % partitions : -1;
    }

    /** The 0-based round of a 0-based epoch, or -1 during the fine-tune. */
    public int roundAt(int epoch) {
        return epoch < growEpochs() ? epoch / (stepEpochs * partitions) : -1;
    }

    /**
     * One row per GaP step plus the fine-tune: epochs, round, grown partition, its layers and the total
     * sparsity of the masked layers while it grows.
     *
     * @param names  layer names, input to output
     * @param sizes  parameters per layer
     * @param keep   weights each layer keeps at the target (its mask's count)
     * @param groups the partitions (of the first round, for a random partitioning)
     */
    public Table table(List<String> names, long[] sizes, long[] keep, List<List<Integer>> groups) {
        checkGroups(groups, sizes.length);
        ScheduleRows rows = new ScheduleRows();
        for (int step = 0; step < steps(); step++) {
            int slot = step % partitions;
            rows.add(step * stepEpochs, (step + 1) * stepEpochs, step / partitions + 1, "grow", slot,
                    layerNames(names, groups.get(slot)), sparsityWhileGrown(sizes, keep, groups.get(slot)));
        }
        if (finetuneEpochs > 0) {
            rows.add(growEpochs(), totalEpochs(), -1, "fine-tune", -1, "", sparsityWhileGrown(sizes, keep, List.of()));
        }
        return rows.table("GaP schedule");
    }

    /**
     * A step plot over epochs: each partition's density (1 while it grows dense, its target density
     * otherwise) and the resulting total sparsity (dashed in the legend order, last).
     */
    public XYChart chart(String title, long[] sizes, long[] keep, List<List<Integer>> groups) {
        checkGroups(groups, sizes.length);
        int total = totalEpochs();
        // Two points at each epoch boundary make the lines steps.
        double[] x = new double[2 * total];
        Map<String, double[]> ys = new LinkedHashMap<>();
        double[][] partitionDensity = new double[partitions][2 * total];
        double[] sparsity = new double[2 * total];
        for (int epoch = 0; epoch < total; epoch++) {
            int slot = grownSlotAt(epoch);
            List<Integer> dense = slot < 0 ? List.of() : groups.get(slot);
            for (int p = 0; p < partitions; p++) {
                double density = p == slot ? 1.0 : targetDensity(sizes, keep, groups.get(p));
                partitionDensity[p][2 * epoch] = density;
                partitionDensity[p][2 * epoch + 1] = density;
            }
            x[2 * epoch] = epoch;
            x[2 * epoch + 1] = epoch + 1;
            sparsity[2 * epoch] = sparsityWhileGrown(sizes, keep, dense);
            sparsity[2 * epoch + 1] = sparsity[2 * epoch];
        }
        for (int p = 0; p < partitions; p++) {
            ys.put("partition " + p + " density", partitionDensity[p]);
        }
        ys.put("total sparsity", sparsity);
        return Charts.series(title, "epoch", "density / sparsity", x, ys);
    }

    /**
     * GaP's timeline before training: one row per partition (named by its layers), a thick bar in the epochs
     * it grows dense, a thin line while it is pruned, through the fine-tune. What
     * {@link Charts#denseTimeline} draws from a finished run, per layer.
     *
     * @param names  layer names, input to output
     * @param groups the partitions (of the first round, for a random partitioning)
     */
    public XYChart timeline(String title, List<String> names, List<List<Integer>> groups) {
        checkGroups(groups, names.size());
        int total = totalEpochs();
        double[] times = new double[total + 1];
        boolean[][] dense = new boolean[partitions][total];
        for (int epoch = 0; epoch <= total; epoch++) {
            times[epoch] = epoch;
        }
        for (int epoch = 0; epoch < total; epoch++) {
            int slot = grownSlotAt(epoch);
            if (slot >= 0) {
                dense[slot][epoch] = true;
            }
        }
        List<String> rows = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            rows.add("partition " + p + ": " + layerNames(names, groups.get(p)));
        }
        return Charts.timeline(title, rows, times, dense);
    }

    /** Epochs of a P-GaP run in model time: R·T + F (the K workers of a round train side by side). */
    public int parallelEpochs() {
        return rounds * stepEpochs + finetuneEpochs;
    }

    /**
     * P-GaP's timetable: in each round of T epochs worker p trains a copy with partition p dense and the rest
     * at target; then the combined model (partition p from worker p) is pruned back to the target. One row
     * per (round, worker), one per combine, then the fine-tune; the last column is that model's total sparsity.
     */
    public Table parallelTable(List<String> names, long[] sizes, long[] keep, List<List<Integer>> groups) {
        checkGroups(groups, sizes.length);
        ScheduleRows rows = new ScheduleRows();
        double target = sparsityWhileGrown(sizes, keep, List.of());
        for (int r = 0; r < rounds; r++) {
            for (int worker = 0; worker < partitions; worker++) {
                rows.add(r * stepEpochs, (r + 1) * stepEpochs, r + 1, "worker " + worker, worker,
                        layerNames(names, groups.get(worker)), sparsityWhileGrown(sizes, keep, groups.get(worker)));
            }
            rows.add((r + 1) * stepEpochs, (r + 1) * stepEpochs, r + 1, "combine + prune", -1, "", target);
        }
        if (finetuneEpochs > 0) {
            rows.add(rounds * stepEpochs, parallelEpochs(), -1, "fine-tune", -1, "", target);
        }
        return rows.table("P-GaP schedule");
    }

    private static String layerNames(List<String> names, List<Integer> group) {
        List<String> layerNames = new ArrayList<>();
        group.forEach(i -> layerNames.add(names.get(i)));
        return String.join(" ", layerNames);
    }

    /** The columns of a schedule table; -1 for a round or partition means none (the row is a combine or fine-tune). */
    private static final class ScheduleRows {
        private final IntColumn from = IntColumn.create("from epoch");
        private final IntColumn to = IntColumn.create("to epoch");
        private final IntColumn round = IntColumn.create("round");
        private final StringColumn phase = StringColumn.create("phase");
        private final IntColumn grown = IntColumn.create("dense partition");
        private final StringColumn layers = StringColumn.create("dense layers");
        private final DoubleColumn sparsity = DoubleColumn.create("total sparsity");

        void add(int fromEpoch, int toEpoch, int roundNumber, String phaseName, int partition, String layerNames,
                 double totalSparsity) {
            from.append(fromEpoch);
            to.append(toEpoch);
            if (roundNumber < 0) {
                round.appendMissing();
            } else {
                round.append(roundNumber);
            }
            phase.append(phaseName);
            if (partition < 0) {
                grown.appendMissing();
            } else {
                grown.append(partition);
            }
            layers.append(layerNames);
            sparsity.append(totalSparsity);
        }

        Table table(String name) {
            return Table.create(name, from, to, round, phase, grown, layers, sparsity);
        }
    }

    /**
     * A step plot over model-time epochs (R·T + F): each worker's total sparsity while it grows its partition
     * (workers run side by side), and the combined model's sparsity, back at the target after every round.
     */
    public XYChart parallelChart(String title, long[] sizes, long[] keep, List<List<Integer>> groups) {
        checkGroups(groups, sizes.length);
        int total = parallelEpochs();
        double target = sparsityWhileGrown(sizes, keep, List.of());
        double[] x = new double[2 * total];
        double[][] workerSparsity = new double[partitions][2 * total];
        double[] combined = new double[2 * total];
        for (int epoch = 0; epoch < total; epoch++) {
            boolean growing = epoch < rounds * stepEpochs;
            for (int worker = 0; worker < partitions; worker++) {
                // During the fine-tune there are no workers: their lines join the combined model at the target.
                double value = growing ? sparsityWhileGrown(sizes, keep, groups.get(worker)) : target;
                workerSparsity[worker][2 * epoch] = value;
                workerSparsity[worker][2 * epoch + 1] = value;
            }
            x[2 * epoch] = epoch;
            x[2 * epoch + 1] = epoch + 1;
            combined[2 * epoch] = target;
            combined[2 * epoch + 1] = target;
        }
        Map<String, double[]> ys = new LinkedHashMap<>();
        for (int worker = 0; worker < partitions; worker++) {
            ys.put("worker " + worker + " (partition " + worker + " dense)", workerSparsity[worker]);
        }
        ys.put("combined model (pruned to target each round)", combined);
        return Charts.series(title, "epoch", "total sparsity", x, ys);
    }

    /** Total sparsity over all masked layers when {@code dense} layers have no mask and the rest are at target. */
    public static double sparsityWhileGrown(long[] sizes, long[] keep, List<Integer> dense) {
        long total = 0;
        long kept = 0;
        for (int i = 0; i < sizes.length; i++) {
            total += sizes[i];
            kept += dense.contains(i) ? sizes[i] : keep[i];
        }
        return 1.0 - (double) kept / total;
    }

    private static double targetDensity(long[] sizes, long[] keep, List<Integer> group) {
        long size = 0;
        long kept = 0;
        for (int i : group) {
            size += sizes[i];
            kept += keep[i];
        }
        return (double) kept / size;
    }

    private void checkGroups(List<List<Integer>> groups, int layers) {
        if (groups.size() != partitions) {
            throw new IllegalArgumentException(groups.size() + " partitions given, the schedule has " + partitions);
        }
        for (List<Integer> group : groups) {
            for (int i : group) {
                if (i < 0 || i >= layers) {
                    throw new IllegalArgumentException("layer index " + i + " is outside [0, " + (layers - 1) + "]");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "K=" + partitions + " T=" + stepEpochs + " R=" + rounds + " F=" + finetuneEpochs;
    }
}
