package org.prune4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.prune4j.model.MaskListener;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL optimizer that knows the masks: it re-applies a weight's mask right after updating it, and
 * zeroes its own state at pruned and regrown positions whenever a mask changes.
 *
 * <p>Why its own optimizer: DJL's built-in ones keep their state private, so a regrown weight would
 * inherit the momentum that its zeroed position gathered from dense gradients (methods.md, "Masking").
 * Masking inside the update also saves a second pass over the parameters.
 */
public abstract class MaskAwareOptimizer extends Optimizer implements MaskListener {

    private final Tracker learningRate;
    private SparseModel model;
    private final Map<String, NDArray[]> states = new ConcurrentHashMap<>();
    // DJL's own update counts are private; these follow its rule (the step is the largest count of any
    // parameter) and can be saved in a checkpoint and restored.
    private final Map<String, Integer> updateCounts = new ConcurrentHashMap<>();
    private int numUpdate;

    protected MaskAwareOptimizer(OptimizerBuilder<?> builder, Tracker learningRate) {
        super(builder);
        this.learningRate = learningRate;
    }

    /**
     * Binds the optimizer to the model's masks. Separate from construction because DJL needs the
     * optimizer before the block is initialised, and the masks need initialised weights.
     */
    public void bind(SparseModel model) {
        if (this.model != null) {
            this.model.removeListener(this);
        }
        this.model = model;
        model.addListener(this);
    }

    /** The learning rate at an optimizer step (0-based). */
    public float learningRateAt(long step) {
        return learningRate.getNewValue((int) Math.min(Integer.MAX_VALUE, step));
    }

    /** DJL's entry, from its parameter server: {@code grad} is a copy of the weight's accumulated gradient. */
    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        try (NDArray accumulated = weight.getGradient()) {
            update(parameterId, weight, grad, accumulated);
        }
    }

    /**
     * The same update read straight from the weight's accumulated gradient, then cleared: no copy of it first
     * (the training session's step, see {@code TrainingSession}). Equal to {@link #update} bit for bit: the
     * update only reads each gradient value before it clears it.
     */
    public final void updateFromOwnGradient(String parameterId, NDArray weight) {
        try (NDArray accumulated = weight.getGradient()) {
            update(parameterId, weight, accumulated, accumulated);
        }
    }

    private void update(String parameterId, NDArray weight, NDArray grad, NDArray accumulated) {
        // DJL counts updates per parameter from 1; the schedule is indexed from 0.
        countUpdate(parameterId);
        int step = numUpdate - 1;
        float lr = learningRateAt(step);
        NDArray[] state = stateOf(parameterId, weight);
        NDArray mask = maskOf(parameterId);
        // PyTorch accumulates gradients; DJL's built-in optimizers zero them inside their fused native
        // update, so an optimizer written in Java must do it too, or every step adds the last one's.
        if (fusedStep(weight, grad, accumulated, mask, state, lr, step + 1)) {
            return;
        }
        step(weight, grad, state, lr, step + 1);
        accumulated.muli(0);
        if (mask != null) {
            SparseModel.applyMask(weight, mask);
        }
    }

    /** The mask of the parameter with this id, or null when it has none (dense, or no model bound). */
    private NDArray maskOf(String parameterId) {
        if (model == null) {
            return null;
        }
        MaskedWeight masked = model.weightOfParameter(parameterId);
        return masked == null ? null : model.mask(masked);
    }

    /**
     * The whole update in one fused kernel, where a subclass has one and the tensors allow it: {@link #step},
     * clearing {@code accumulated} and applying {@code mask} (null for none), with the same result bit for bit.
     * Returns false, having changed nothing, where it does not apply; the default has no kernel.
     */
    protected boolean fusedStep(NDArray weight, NDArray grad, NDArray accumulated, NDArray mask, NDArray[] state,
            float lr, int t) {
        return false;
    }

    /** The per-parameter state tensors (momentum, moments), zero and shaped like the weight. */
    protected abstract NDArray[] newState(NDArray weight);

    /**
     * Updates {@code weight} in place from {@code grad}; {@code t} counts this parameter's updates from 1.
     * {@code grad} may be overwritten: it is DJL's per-step copy or the weight's own gradient, which is zeroed
     * right after this call anyway.
     */
    protected abstract void step(NDArray weight, NDArray grad, NDArray[] state, float lr, int t);

    /** Zeroes state at positions pruned or regrown: kept positions are those in both masks. */
    @Override
    public void maskChanged(MaskedWeight weight, NDArray oldMask, NDArray newMask) {
        NDArray[] state = states.get(weight.parameter().getId());
        if (state == null) {
            return;
        }
        for (NDArray tensor : state) {
            if (oldMask != null) {
                tensor.muli(oldMask);
            }
            if (newMask != null) {
                tensor.muli(newMask);
            }
        }
    }

    /**
     * For a step a kernel takes outside DJL's trainer ({@code SparseMlpKernel}): counts one update of each of
     * these parameters, as {@link #update} does, and returns their state tensors (created as {@link #update}
     * creates them), so that the learning-rate schedule, checkpoints and mask changes see the same optimizer.
     * The caller reads the step's rate from {@link #learningRateAt} with {@link #updateCount()} - 1.
     */
    public List<NDArray[]> countExternalUpdate(List<String> parameterIds, List<NDArray> weights) {
        List<NDArray[]> result = new ArrayList<>();
        for (int i = 0; i < parameterIds.size(); i++) {
            countUpdate(parameterIds.get(i));
            result.add(stateOf(parameterIds.get(i), weights.get(i)));
        }
        return result;
    }

    /** One more update of this parameter; the optimizer's step is the largest count of any parameter. */
    private void countUpdate(String parameterId) {
        numUpdate = Math.max(numUpdate, updateCounts.merge(parameterId, 1, Integer::sum));
    }

    /** The parameter's state tensors, created zero at its first update. */
    private NDArray[] stateOf(String parameterId, NDArray weight) {
        return states.computeIfAbsent(parameterId, id -> {
            NDArray[] fresh = newState(weight);
            // State is created during a step but must outlive the step's scope.
            NDScope.unregister(fresh);
            return fresh;
        });
    }

    /** The number of optimizer steps so far (the largest update count of any parameter, as in DJL). */
    public int updateCount() {
        return numUpdate;
    }

    /** The state tensors of a parameter (for tests and checkpoints), or an empty list before its first update. */
    public List<NDArray> state(String parameterId) {
        NDArray[] state = states.get(parameterId);
        return state == null ? List.of() : List.of(state);
    }

    /** How many times each parameter (by id) was updated, for checkpoints. */
    public Map<String, Integer> updateCounts() {
        return Map.copyOf(updateCounts);
    }

    /**
     * Continues counting updates from a checkpoint's counts (by parameter id); the step the learning rate
     * and Adam's bias correction see is the largest of them, as in DJL.
     */
    public void restoreUpdateCounts(Map<String, Integer> counts) {
        updateCounts.clear();
        updateCounts.putAll(counts);
        numUpdate = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /**
     * Replaces a parameter's state tensors (momentum, moments) with copies of {@code values}, on the
     * weight's device, as a checkpoint saved them through {@link #state(String)}.
     *
     * @throws IllegalArgumentException if their number or shapes are not what this optimizer keeps
     */
    public void restoreState(String parameterId, NDArray weight, List<NDArray> values) {
        NDArray[] fresh = newState(weight);
        NDScope.unregister(fresh);
        try {
            if (fresh.length != values.size()) {
                throw new IllegalArgumentException("optimizer state of " + parameterId + " has " + values.size()
                        + " tensors, this optimizer keeps " + fresh.length);
            }
            for (int i = 0; i < fresh.length; i++) {
                if (!fresh[i].getShape().equals(values.get(i).getShape())) {
                    throw new IllegalArgumentException("optimizer state " + i + " of " + parameterId + " has shape "
                            + values.get(i).getShape() + ", expected " + fresh[i].getShape());
                }
                // An in-place device copy: bit-exact, and never an alias of the checkpoint's buffer.
                fresh[i].set(new NDIndex("..."), values.get(i).toDevice(fresh[i].getDevice(), false));
            }
        } catch (RuntimeException e) {
            for (NDArray array : fresh) {
                array.close();
            }
            throw e;
        }
        NDArray[] old = states.put(parameterId, fresh);
        if (old != null) {
            for (NDArray array : old) {
                array.close();
            }
        }
    }

    /**
     * Zeroes every state tensor (momentum, moments) in place, as at the start of training; used when a
     * method rewinds the weights (lottery tickets). The update counts (and with them the learning-rate
     * schedule's step) are kept.
     */
    public void resetState() {
        states.values().forEach(arrays -> {
            for (NDArray array : arrays) {
                array.muli(0);
            }
        });
    }

    /** Stops listening to the model's masks and frees the state. */
    public void close() {
        if (model != null) {
            model.removeListener(this);
        }
        states.values().forEach(arrays -> {
            for (NDArray array : arrays) {
                array.close();
            }
        });
        states.clear();
    }

    /** The plain DJL builder this class needs for rescaling and clipping, which the toolkit leaves at defaults. */
    static final class DefaultBuilder extends OptimizerBuilder<DefaultBuilder> {
        @Override
        protected DefaultBuilder self() {
            return this;
        }
    }
}
