package org.prune4j.schedule;

/** {@code before} until {@code atStep} (exclusive), {@code after} from {@code atStep} on: one-shot pruning. */
record OneShotSchedule(long atStep, double before, double after) implements Schedule {

    OneShotSchedule {
        if (atStep < 0) {
            throw new IllegalArgumentException("one-shot step " + atStep + " is negative (needs atStep >= 0)");
        }
        if (!Double.isFinite(before)) {
            throw new IllegalArgumentException("value before " + before + " is not finite (needs a finite number)");
        }
        if (!Double.isFinite(after)) {
            throw new IllegalArgumentException("value after " + after + " is not finite (needs a finite number)");
        }
    }

    @Override
    public double valueAt(long step) {
        return step < atStep ? before : after;
    }

    @Override
    public String describe() {
        return "one-shot " + Describe.value(before) + " -> " + Describe.value(after) + " at step " + atStep;
    }

    @Override
    public String toString() {
        return describe();
    }
}
