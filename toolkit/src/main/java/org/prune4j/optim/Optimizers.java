package org.prune4j.optim;

import ai.djl.training.tracker.Tracker;

import org.prune4j.schedule.Schedule;

/**
 * Fluent builders for the mask-aware optimizers.
 *
 * <pre>{@code
 * Optimizers.sgd().lr(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4).lrDropAt(50, 75)
 * Optimizers.adamW().lr(1e-3).weightDecay(0.01).cosineLr()
 * }</pre>
 */
public final class Optimizers {

    private Optimizers() {}

    /** SGD; defaults lr 0.1, momentum 0.9, no Nesterov, weight decay 0, constant rate. */
    public static Sgd sgd() {
        return new Sgd();
    }

    /** AdamW; defaults lr 1e-3, betas (0.9, 0.999), ε 1e-8, weight decay 0.01, constant rate. */
    public static AdamW adamW() {
        return new AdamW();
    }

    static Tracker tracker(Schedule schedule) {
        return step -> (float) schedule.valueAt(step);
    }

    /** Settings shared by every optimizer: the learning rate and its policy. */
    public abstract static class Base<T extends Base<T>> implements OptimizerSpec {
        double lr;
        LearningRate.Kind lrKind = LearningRate.Kind.CONSTANT;
        double dropFactor = 0.1;
        int[] dropEpochs = new int[0];
        double finalLr = 0;
        double weightDecay;

        Base(double lr, double weightDecay) {
            this.lr = lr;
            this.weightDecay = weightDecay;
        }

        abstract T self();

        /** The base learning rate. */
        public T lr(double lr) {
            this.lr = lr;
            return self();
        }

        /** Weight decay (L2 for SGD, decoupled for AdamW). */
        public T weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /** Multiplies the rate by the drop factor (0.1 unless set) at the start of each given epoch. */
        public T lrDropAt(int... epochs) {
            this.lrKind = LearningRate.Kind.MULTI_STEP;
            this.dropEpochs = epochs.clone();
            return self();
        }

        /** The factor applied at each drop epoch. */
        public T lrDropFactor(double factor) {
            this.dropFactor = factor;
            return self();
        }

        /** Cosine decay from the base rate to 0 over the whole run. */
        public T cosineLr() {
            return cosineLr(0);
        }

        /** Cosine decay from the base rate to {@code finalLr} over the whole run. */
        public T cosineLr(double finalLr) {
            this.lrKind = LearningRate.Kind.COSINE;
            this.finalLr = finalLr;
            return self();
        }

        /** Linear decay from the base rate to 0 over the whole run. */
        public T linearLr() {
            return linearLr(0);
        }

        /** Linear decay from the base rate to {@code finalLr} over the whole run. */
        public T linearLr(double finalLr) {
            this.lrKind = LearningRate.Kind.LINEAR;
            this.finalLr = finalLr;
            return self();
        }

        /** The learning-rate policy, validated. */
        public LearningRate learningRatePolicy() {
            return new LearningRate(lrKind, lr, dropFactor, dropEpochs, finalLr);
        }

        @Override
        public Schedule learningRate(int stepsPerEpoch, int epochs) {
            return learningRatePolicy().schedule(stepsPerEpoch, epochs);
        }

        void checkWeightDecay() {
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay " + weightDecay + " must be a finite number >= 0");
            }
        }
    }

    /** SGD settings. */
    public static final class Sgd extends Base<Sgd> {
        private double momentum = 0.9;
        private boolean nesterov;
        private boolean fusedKernel = true;

        Sgd() {
            super(0.1, 0);
        }

        @Override
        Sgd self() {
            return this;
        }

        /** Momentum μ in [0, 1). */
        public Sgd momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Nesterov momentum (as GraNet's recipe uses). */
        public Sgd nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /**
         * Whether the update may run as one fused native kernel on the CPU (default true; bit-identical to the
         * DJL ops, which benchmarks compare it with by turning it off).
         */
        public Sgd fusedKernel(boolean fusedKernel) {
            this.fusedKernel = fusedKernel;
            return this;
        }

        @Override
        public MaskAwareOptimizer create(int stepsPerEpoch, int epochs) {
            validate();
            return new MaskAwareSgd(tracker(learningRate(stepsPerEpoch, epochs)), (float) momentum, nesterov,
                    (float) weightDecay, fusedKernel);
        }

        /** Checks every setting, naming the bad value and the accepted range. */
        public Sgd validate() {
            learningRatePolicy();
            checkWeightDecay();
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum " + momentum + " is outside [0, 1)");
            }
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Nesterov needs momentum > 0, got momentum 0.0");
            }
            return this;
        }

        @Override
        public String describe() {
            return "sgd " + learningRatePolicy().describe() + " momentum=" + momentum + (nesterov ? " nesterov" : "")
                    + " wd=" + weightDecay;
        }
    }

    /** AdamW settings. */
    public static final class AdamW extends Base<AdamW> {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;

        AdamW() {
            super(1e-3, 0.01);
        }

        @Override
        AdamW self() {
            return this;
        }

        /** The moment decay rates, each in [0, 1). */
        public AdamW betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** The term added to √v̂ for stability; positive. */
        public AdamW epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        public MaskAwareOptimizer create(int stepsPerEpoch, int epochs) {
            validate();
            return new MaskAwareAdamW(tracker(learningRate(stepsPerEpoch, epochs)), (float) beta1, (float) beta2,
                    (float) epsilon, (float) weightDecay);
        }

        /** Checks every setting, naming the bad value and the accepted range. */
        public AdamW validate() {
            learningRatePolicy();
            checkWeightDecay();
            for (double beta : new double[] {beta1, beta2}) {
                if (!(beta >= 0 && beta < 1)) {
                    throw new IllegalArgumentException("beta " + beta + " is outside [0, 1)");
                }
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("epsilon " + epsilon + " must be > 0");
            }
            return this;
        }

        @Override
        public String describe() {
            return "adamw " + learningRatePolicy().describe() + " betas=(" + beta1 + ", " + beta2 + ") wd=" + weightDecay;
        }
    }
}
