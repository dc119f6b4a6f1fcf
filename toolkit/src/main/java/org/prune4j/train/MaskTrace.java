package org.prune4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.prune4j.model.MaskListener;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.report.MaskUpdate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Records every mask update of a training as {@link MaskUpdate} rows: the weights kept per layer and the
 * churn (dropped, regrown, regrown that survive). Changes of several layers at the same step make one row.
 *
 * <p>Cost: one device read of four counts per changed layer, at mask updates only (every dT steps for the
 * gradual and dynamic methods), never in the per-step path. It keeps one boolean copy per layer of the
 * weights regrown at its last update, to count at the next update how many of them survived.
 */
final class MaskTrace implements MaskListener, AutoCloseable {

    private final SparseModel model;
    private final LongSupplier step;
    private final int stepsPerEpoch;
    private final NDManager manager;
    private final long[] kept;
    /** Per layer: the weights regrown at its last update (boolean), and the row that update went into. */
    private final NDArray[] regrownAtLast;
    private final int[] rowOfLast;
    private final List<MaskUpdate> rows = new ArrayList<>();

    MaskTrace(SparseModel model, LongSupplier step, int stepsPerEpoch, NDManager parent) {
        this.model = model;
        this.step = step;
        this.stepsPerEpoch = stepsPerEpoch;
        this.manager = parent.newSubManager();
        List<MaskedWeight> weights = model.weights();
        this.kept = new long[weights.size()];
        for (MaskedWeight weight : weights) {
            kept[weight.index()] = weight.size(); // dense until a mask says otherwise
        }
        this.regrownAtLast = new NDArray[weights.size()];
        this.rowOfLast = new int[weights.size()];
    }

    @Override
    public void maskChanged(MaskedWeight weight, NDArray oldMask, NDArray newMask) {
        int layer = weight.index();
        long[] counts;
        NDArray regrown;
        try (NDScope ignored = new NDScope()) {
            NDArray before = keptPositions(oldMask, weight.shape());
            NDArray after = keptPositions(newMask, weight.shape());
            regrown = after.logicalAnd(before.logicalNot());
            NDArray survived = regrownAtLast[layer] == null
                    ? manager.create(0L)
                    : regrownAtLast[layer].logicalAnd(after).countNonzero();
            // One read for the four counts: a GPU waits once per changed layer.
            counts = NDArrays.stack(new ai.djl.ndarray.NDList(after.countNonzero(),
                    before.logicalAnd(after.logicalNot()).countNonzero(), regrown.countNonzero(),
                    survived.toType(DataType.INT64, false))).toLongArray();
            regrown.attach(manager);
            NDScope.unregister(regrown);
        }
        if (regrownAtLast[layer] != null) {
            int row = rowOfLast[layer];
            MaskUpdate earlier = rows.get(row);
            rows.set(row, earlier.withSurvived(earlier.survived() + counts[3]));
            regrownAtLast[layer].close();
        }
        kept[layer] = counts[0];
        long now = step.getAsLong();
        MaskUpdate last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
        if (last != null && last.step() == now) {
            rows.set(rows.size() - 1, new MaskUpdate(now, last.epoch(), kept, last.dropped() + counts[1],
                    last.regrown() + counts[2], last.survived()));
        } else {
            // Rounded to 1e-6 epochs: enough to place a step, short in masks.csv.
            double epoch = Math.round(1e6 * now / stepsPerEpoch) / 1e6;
            rows.add(new MaskUpdate(now, epoch, kept, counts[1], counts[2], 0));
        }
        regrownAtLast[layer] = regrown;
        rowOfLast[layer] = rows.size() - 1;
    }

    /** A boolean tensor of the kept positions: the mask's ones, or every position of a dense weight. */
    private NDArray keptPositions(NDArray mask, Shape shape) {
        return mask == null ? manager.ones(shape, DataType.BOOLEAN) : mask.gt(0.5f);
    }

    /**
     * The rows so far. Weights regrown at a layer's last update count as survivors: nothing has dropped
     * them yet (at the end of the run, they survived it).
     */
    List<MaskUpdate> rows() {
        List<MaskUpdate> out = new ArrayList<>(rows);
        long[] pending = new long[rows.size()];
        for (int layer = 0; layer < regrownAtLast.length; layer++) {
            if (regrownAtLast[layer] != null) {
                pending[rowOfLast[layer]] += regrownCountOf(layer);
            }
        }
        for (int i = 0; i < out.size(); i++) {
            if (pending[i] > 0) {
                out.set(i, out.get(i).withSurvived(Math.min(out.get(i).regrown(), out.get(i).survived() + pending[i])));
            }
        }
        return List.copyOf(out);
    }

    private long regrownCountOf(int layer) {
        try (NDScope ignored = new NDScope()) {
            return regrownAtLast[layer].countNonzero().getLong();
        }
    }

    /**
     * Replaces the rows with those of a checkpoint, after the session restored its masks (which this trace
     * saw as one big update). Survivors of the checkpoint's last updates are then counted as they stood.
     */
    void restore(List<MaskUpdate> saved) {
        rows.clear();
        rows.addAll(saved);
        for (int layer = 0; layer < regrownAtLast.length; layer++) {
            if (regrownAtLast[layer] != null) {
                regrownAtLast[layer].close();
                regrownAtLast[layer] = null;
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
