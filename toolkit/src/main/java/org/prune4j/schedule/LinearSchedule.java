package org.prune4j.schedule;

/** A straight line from {@code initial} at step 0 to {@code last} at {@code totalSteps}, then flat. */
record LinearSchedule(double initial, double last, long totalSteps) implements Schedule {

    LinearSchedule {
        if (!Double.isFinite(initial) || !Double.isFinite(last)) {
            throw new IllegalArgumentException("linear schedule ends " + initial + " and " + last + " must be finite");
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("linear schedule length " + totalSteps + " is below 1 (needs >= 1)");
        }
    }

    @Override
    public double valueAt(long step) {
        double t = Math.min(1.0, Math.max(0.0, (double) step / totalSteps));
        return initial + (last - initial) * t;
    }

    @Override
    public String describe() {
        return "linear " + Describe.value(initial) + " -> " + Describe.value(last) + " over " + totalSteps + " steps";
    }

    @Override
    public String toString() {
        return describe();
    }
}
