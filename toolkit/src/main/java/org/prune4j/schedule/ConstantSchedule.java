package org.prune4j.schedule;

/** The same value at every step. */
record ConstantSchedule(double value) implements Schedule {

    ConstantSchedule {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("constant value " + value + " is not finite (needs a finite number)");
        }
    }

    @Override
    public double valueAt(long step) {
        return value;
    }

    @Override
    public String describe() {
        return "constant " + Describe.value(value);
    }

    @Override
    public String toString() {
        return describe();
    }
}
