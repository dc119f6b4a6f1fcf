package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

import org.prune4j.kernel.NativeKernels;
import org.prune4j.kernel.SoftMaskKernel;
import org.prune4j.mask.BlockPattern;
import org.prune4j.mask.BoundaryTracker;
import org.prune4j.mask.NofM;
import org.prune4j.mask.Pattern;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.WeightTransform;

import java.util.List;

/**
 * PDP, parameter-free differentiable pruning (methods.md, "PDP"). The forward pass computes with
 * w·m(w), m(w) = sigmoid((w² − t²)/τ), so gradients reach pruned weights through the soft mask.
 *
 * <p>Phases, by epoch: a warm-up without mask; then per-layer targets r_l from one global magnitude
 * sort of the warmed-up weights (the layer budget, global by default); the pruning phase, where the
 * ratio follows the ramp r_e = min(1, eps·(e+1))·r_l (e counted from the end of the warm-up) and t is
 * recomputed from the current weights; at the end of the pruning phase the mask is hardened to an exact
 * binary mask of the target count (top-|w| through the pattern) and frozen for the fine-tune, which runs
 * on the cheap hard-mask path.
 *
 * <p>Variants by pattern: unstructured (t over |w| of the layer), N:M (t within each group of M; the
 * density is N/M from the first pruning epoch, no ramp), channel (t over the output channels' L2 norms;
 * the channel's m broadcasts over the channel). Block patterns are not supported.
 *
 * <p>Choices (the paper leaves them open): τ defaults to 1e-3 (1e-5 in PQuantML, 1e-4 elsewhere; 1e-4 sent LeNet-300-100 to a NaN loss with SGD at lr 0.1, because d(w·m)/dw grows like 2w²m(1−m)/τ; 1e-3 and 1e-2 both train; the mask is a
 * function of w²/τ, so τ must suit the squared weight scale: for LeNet-300-100 weights around 0.03,
 * w² ~ 1e-3); t is a constant for autograd and is recomputed every {@code thresholdEvery} steps (default
 * 10: a full top-k per layer costs about a dense step; each layer's search starts just under its previous
 * boundary, {@link BoundaryTracker}, exact either way) and at every epoch start; the forward value w·m(w) is
 * recorded for autograd as one multiply by its derivative ({@link SoftMasks#softMasked}: the same gradient
 * in fewer passes over the weights); on a CPU where Prune4J's fused kernels are loaded ({@link NativeKernels}),
 * the unstructured and N:M soft masks are computed in one pass ({@link SoftMaskKernel}) and the unstructured
 * threshold from a scan of the weights near the previous one ({@link BoundaryTracker#magnitudeBoundary}), the
 * same values as the DJL ops give; eps defaults to reaching the full ratio at the last pruning epoch
 * (set {@code eps(0.015)} for the 100-epoch recipe).
 */
public final class Pdp implements SparsityMethod, WeightTransform, Resumable {

    private final double sparsity;
    private final LayerAllocation allocation;
    private final double tau;
    private final Integer warmupEpochs;
    private final Integer fineTuneEpochs;
    private final Double eps;
    private final long thresholdEvery;
    private final boolean nativeKernel;

    private SparseModel model;
    private NDManager manager;
    private long[] targets;
    private NDArray[] thresholds;
    // Unstructured thresholds: each layer's search starts near its previous boundary (exact either way).
    private BoundaryTracker[] trackers;
    // For the fused kernels, each threshold as c = t²/τ: a host value (unstructured), or one per weight (N:M).
    private float[] scaledThresholds;
    private NDArray[] scaledThresholdsEach;
    private int warmup;
    private int hardenEpoch;
    private double rampEps;
    private int pruningEpoch = -1;
    private boolean hardened;

    private Pdp(Builder b, double sparsity, LayerAllocation allocation) {
        this.sparsity = sparsity;
        this.allocation = allocation;
        this.tau = b.tau;
        this.warmupEpochs = b.warmupEpochs;
        this.fineTuneEpochs = b.fineTuneEpochs;
        this.eps = b.eps;
        this.thresholdEvery = b.thresholdEvery;
        this.nativeKernel = b.nativeKernel;
    }

    /** Starts a PDP configuration; the sparsity is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "pdp";
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    /** The temperature τ. */
    public double tau() {
        return tau;
    }

    /** The layer budget and pattern. */
    public LayerAllocation allocation() {
        return allocation;
    }

    /** Whether the mask has been hardened (the fine-tune phase). */
    public boolean hardened() {
        return hardened;
    }

    /** Per-layer target keep counts, known once the warm-up is over (null before). */
    public long[] targets() {
        return targets == null ? null : targets.clone();
    }

    /** The epoch at whose end the mask hardens (0-based), once the run has started. */
    public int hardenEpoch() {
        return hardenEpoch;
    }

    @Override
    public void onStart(TrainingContext context) {
        allocation.validate(context.model());
        int epochs = context.epochs();
        warmup = warmupEpochs != null ? warmupEpochs : (int) Math.round(0.16 * epochs);
        int fineTune = fineTuneEpochs != null ? fineTuneEpochs : (int) Math.round(0.2 * epochs);
        hardenEpoch = epochs - fineTune - 1;
        if (hardenEpoch < warmup) {
            throw new IllegalArgumentException("pdp: " + warmup + " warm-up and " + fineTune + " fine-tune epochs leave no"
                    + " pruning epoch in a run of " + epochs + ": expected warm-up + fine-tune < " + epochs);
        }
        rampEps = eps != null ? eps : 1.0 / (hardenEpoch - warmup + 1);
        model = context.model();
        NDArray first = model.values(model.weights().get(0));
        manager = first.getManager().newSubManager(first.getDevice());
        thresholds = new NDArray[model.weights().size()];
        scaledThresholds = new float[thresholds.length];
        scaledThresholdsEach = new NDArray[thresholds.length];
        trackers = newTrackers(thresholds.length);
        targets = null;
        pruningEpoch = -1;
        hardened = false;
        if (warmup == 0) {
            beginPruning();
        }
    }

    @Override
    public void afterStep(TrainingContext context) {
        if (pruningEpoch >= 0 && !hardened && context.step() % thresholdEvery == 0) {
            updateThresholds();
        }
    }

    @Override
    public void onEpochEnd(TrainingContext context) {
        int epoch = context.epoch();
        if (hardened) {
            return;
        }
        if (epoch == hardenEpoch) {
            harden();
        } else if (epoch == warmup - 1) {
            beginPruning();
        } else if (pruningEpoch >= 0) {
            pruningEpoch++;
            updateThresholds();
        }
    }

    private void beginPruning() {
        List<NDArray> scores = Scores.magnitude(model);
        try {
            targets = allocation.targetCounts(model, scores, 1 - sparsity);
        } finally {
            Scores.close(scores);
        }
        pruningEpoch = 0;
        updateThresholds();
    }

    private static BoundaryTracker[] newTrackers(int layers) {
        BoundaryTracker[] trackers = new BoundaryTracker[layers];
        for (int i = 0; i < layers; i++) {
            trackers[i] = new BoundaryTracker();
        }
        return trackers;
    }

    /** The fraction of each layer's pruning reached in the current pruning epoch: min(1, eps·(e+1)). */
    public double rampFraction() {
        return pruningEpoch < 0 ? 0 : Math.min(1, rampEps * (pruningEpoch + 1));
    }

    private void updateThresholds() {
        double fraction = rampFraction();
        for (MaskedWeight weight : model.weights()) {
            int i = weight.index();
            NDArray next;
            try (NDScope ignored = new NDScope()) {
                next = threshold(weight, fraction);
                if (next != null) {
                    next.attach(manager);
                    NDScope.unregister(next);
                }
            }
            if (thresholds[i] != null) {
                thresholds[i].close();
            }
            thresholds[i] = next;
            scaleForKernel(weight);
        }
    }

    /** Whether a layer's soft mask runs in the fused kernels: unstructured or N:M on a CPU the kernels serve. */
    private boolean fused(NDArray weight) {
        return nativeKernel && !allocation.pattern().equals(Pattern.channel()) && NativeKernels.usable(weight);
    }

    /** Keeps c = t²/τ of a layer in the form its fused kernel reads (nothing when it has no threshold or kernel). */
    private void scaleForKernel(MaskedWeight weight) {
        int i = weight.index();
        if (scaledThresholdsEach[i] != null) {
            scaledThresholdsEach[i].close();
            scaledThresholdsEach[i] = null;
        }
        NDArray t2 = thresholds[i];
        if (t2 == null || !fused(t2)) {
            return;
        }
        if (allocation.pattern() instanceof NofM nm) {
            // Each group's threshold repeated over its M weights, in the weight's own (row-major) order.
            NDArray each = manager.zeros(new Shape(weight.size() / nm.m(), nm.m()));
            // Kept until the next update: out of the step's scope, which this runs in (afterStep).
            NDScope.unregister(each);
            try (NDArray scaled = t2.div(tau)) {
                each.addi(scaled);
            }
            scaledThresholdsEach[i] = each;
        } else {
            scaledThresholds[i] = (float) (t2.getFloat() / tau);
        }
    }

    /** t² for one layer at a ramp fraction, or null when the layer keeps everything now. */
    private NDArray threshold(MaskedWeight weight, double fraction) {
        long keepTarget = targets[weight.index()];
        long size = weight.size();
        if (keepTarget >= size) {
            return null;
        }
        NDArray w = model.values(weight);
        Pattern pattern = allocation.pattern();
        if (pattern instanceof NofM nm) {
            return SoftMasks.midpointSquared(nm.boundaries(w.abs()));
        }
        if (pattern.equals(Pattern.channel())) {
            long channels = weight.shape().get(0);
            long fanIn = size / channels;
            long keepChannels = channels - Math.round(fraction * (channels - keepTarget / fanIn));
            if (keepChannels >= channels) {
                return null;
            }
            return SoftMasks.thresholdSquared(channelNorms(w, channels).sqrt(), keepChannels);
        }
        long keep = size - Math.round(fraction * (size - keepTarget));
        if (keep >= size) {
            return null;
        }
        if (fused(w)) {
            // The same midpoint, from a band scan of the weights on the host (the tracker's fused path).
            float[] bounds = trackers[weight.index()].magnitudeBoundary(w, keep);
            return w.getManager().create(SoftMasks.midpointSquared(bounds[0], bounds[1]));
        }
        return SoftMasks.midpointSquared(trackers[weight.index()].boundary(w.abs(), keep));
    }

    private static NDArray channelNorms(NDArray w, long channels) {
        return w.reshape(channels, -1).square().sum(new int[] {1}, true);
    }

    @Override
    public NDArray apply(MaskedWeight layer, NDArray weight, boolean training) {
        NDArray t2 = hardened || thresholds == null ? null : thresholds[layer.index()];
        if (t2 == null) {
            return weight;
        }
        Pattern pattern = allocation.pattern();
        if (fused(weight)) {
            float invTau = (float) (1 / tau);
            int i = layer.index();
            return pattern instanceof NofM
                    ? SoftMaskKernel.softMaskedEach(weight, invTau, scaledThresholdsEach[i])
                    : SoftMaskKernel.softMasked(weight, invTau, scaledThresholds[i]);
        }
        if (pattern instanceof NofM nm) {
            return SoftMasks.softMasked(weight.reshape(-1, nm.m()), t2, tau).reshape(layer.shape());
        }
        if (pattern.equals(Pattern.channel())) {
            // The channel's mask depends on the whole channel's norm: autograd records it.
            return weight.mul(softMask(layer, weight, t2));
        }
        return SoftMasks.softMasked(weight, t2, tau);
    }

    private NDArray softMask(MaskedWeight layer, NDArray weight, NDArray t2) {
        Pattern pattern = allocation.pattern();
        if (pattern instanceof NofM nm) {
            return SoftMasks.maskOfWeights(weight.reshape(-1, nm.m()), t2, tau).reshape(layer.shape());
        }
        if (pattern.equals(Pattern.channel())) {
            long channels = layer.shape().get(0);
            NDArray m = SoftMasks.mask(channelNorms(weight, channels), t2, tau);
            return m.broadcast(new Shape(channels, layer.size() / channels)).reshape(layer.shape());
        }
        return SoftMasks.maskOfWeights(weight, t2, tau);
    }

    /**
     * A host copy of the mask a layer computes with now: the soft mask m(w) in the pruning phase, ones
     * during the warm-up, the hard mask after hardening. For plots (a histogram sharpening over training).
     */
    public float[] maskValues(String layer) {
        MaskedWeight weight = model.weight(layer);
        try (NDScope ignored = new NDScope()) {
            if (hardened) {
                NDArray hard = model.mask(weight);
                return hard == null ? model.values(weight).onesLike().toFloatArray() : hard.toFloatArray();
            }
            NDArray t2 = thresholds[weight.index()];
            NDArray w = model.values(weight);
            return (t2 == null ? w.onesLike() : softMask(weight, w, t2)).toFloatArray();
        }
    }

    /** Hardens now: exact binary masks of the target counts (top-|w| through the pattern), frozen. */
    void harden() {
        if (targets == null) {
            beginPruning();
        }
        for (MaskedWeight weight : model.weights()) {
            long keep = targets[weight.index()];
            if (keep >= weight.size()) {
                model.setMask(weight, null);
                continue;
            }
            try (NDArray scores = model.values(weight).abs()) {
                model.setMask(weight, allocation.pattern().select(scores, keep));
            }
        }
        hardened = true;
        for (int i = 0; i < thresholds.length; i++) {
            if (thresholds[i] != null) {
                thresholds[i].close();
                thresholds[i] = null;
            }
            if (scaledThresholdsEach[i] != null) {
                scaledThresholdsEach[i].close();
                scaledThresholdsEach[i] = null;
            }
        }
    }

    /** The phase (pruning epoch, hardened), the per-layer targets and the current thresholds t². */
    @Override
    public void saveState(MethodState state) {
        state.put("targets", targets);
        state.put("pruningEpoch", pruningEpoch);
        state.put("hardened", hardened);
        for (int i = 0; i < thresholds.length; i++) {
            state.putTensor("threshold" + i, thresholds[i]);
        }
    }

    @Override
    public void restoreState(MethodState state, TrainingContext context) {
        targets = state.getLongs("targets");
        pruningEpoch = (int) state.getLong("pruningEpoch");
        hardened = state.getBoolean("hardened");
        for (int i = 0; i < thresholds.length; i++) {
            if (thresholds[i] != null) {
                thresholds[i].close();
            }
            thresholds[i] = state.tensor("threshold" + i) == null ? null : state.copyOfTensor("threshold" + i, manager);
        }
        for (MaskedWeight weight : model.weights()) {
            scaleForKernel(weight);
        }
    }

    @Override
    public String describe() {
        return "pdp to sparsity " + sparsity + ", tau " + tau + ", warm-up "
                + (warmupEpochs == null ? "16% of the run" : warmupEpochs + " epochs") + ", fine-tune "
                + (fineTuneEpochs == null ? "20% of the run" : fineTuneEpochs + " epochs") + ", ramp eps "
                + (eps == null ? "to full at the last pruning epoch" : eps) + " (" + allocation + ")";
    }

    /** Fluent settings for {@link Pdp}; global budget by default (targets from one global sort). */
    public static final class Builder extends AllocationBuilder<Builder> {
        private double tau = 1e-3;
        private Integer warmupEpochs;
        private Integer fineTuneEpochs;
        private Double eps;
        private long thresholdEvery = 10;
        private boolean nativeKernel = true;

        private Builder() {
            super(Budget.GLOBAL);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The temperature τ of the soft mask, > 0; 1e-3 by default. */
        public Builder tau(double tau) {
            this.tau = tau;
            return this;
        }

        /** Epochs trained without a mask; 16% of the run by default. */
        public Builder warmupEpochs(int epochs) {
            this.warmupEpochs = epochs;
            return this;
        }

        /** Epochs fine-tuned with the hardened mask at the end; 20% of the run by default. */
        public Builder fineTuneEpochs(int epochs) {
            this.fineTuneEpochs = epochs;
            return this;
        }

        /** The ratio ramp's step per epoch, in (0, 1] (0.015 in the recipe); by default the ramp ends at the last pruning epoch. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Steps between threshold updates in the pruning phase; 10 by default (1: every step). */
        public Builder thresholdEvery(long steps) {
            this.thresholdEvery = steps;
            return this;
        }

        /**
         * Whether the soft mask and the threshold search run in the fused CPU kernels where they are loaded
         * ({@link NativeKernels}); true by default. False runs the same formulas through DJL ops (for comparison:
         * the values agree to float rounding).
         */
        public Builder nativeKernel(boolean use) {
            this.nativeKernel = use;
            return this;
        }

        /** Validates and builds. */
        public Pdp build() {
            double sparsity = validSparsity("pdp");
            LayerAllocation allocation = validAllocation("pdp");
            if (allocation.pattern() instanceof BlockPattern) {
                throw new IllegalArgumentException("pdp: pattern " + allocation.pattern().name()
                        + " is not supported: expected unstructured, N:M or channel");
            }
            if (!(tau > 0) || Double.isInfinite(tau)) {
                throw new IllegalArgumentException("pdp: tau " + tau + " must be a finite number > 0");
            }
            if (warmupEpochs != null) {
                Validate.nonNegative("warm-up epochs", warmupEpochs);
            }
            if (fineTuneEpochs != null) {
                Validate.nonNegative("fine-tune epochs", fineTuneEpochs);
            }
            if (eps != null && !(eps > 0 && eps <= 1)) {
                throw new IllegalArgumentException("pdp: ramp eps " + eps + " must be in (0, 1]");
            }
            Validate.positive("threshold interval (steps)", thresholdEvery);
            return new Pdp(this, sparsity, allocation);
        }
    }
}
