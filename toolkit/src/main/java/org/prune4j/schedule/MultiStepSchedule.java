package org.prune4j.schedule;

import java.util.Arrays;

/** {@code base · factor^(number of milestones <= step)}; milestones sorted on construction. */
record MultiStepSchedule(double base, double factor, long[] milestones) implements Schedule {

    MultiStepSchedule {
        if (!Double.isFinite(base)) {
            throw new IllegalArgumentException("base value " + base + " must be finite");
        }
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("factor " + factor + " must be a finite number > 0");
        }
        milestones = milestones.clone();
        Arrays.sort(milestones);
        for (long milestone : milestones) {
            if (milestone < 1) {
                throw new IllegalArgumentException("milestone step " + milestone + " must be at least 1");
            }
        }
    }

    @Override
    public double valueAt(long step) {
        int reached = 0;
        while (reached < milestones.length && milestones[reached] <= step) {
            reached++;
        }
        return base * Math.pow(factor, reached);
    }

    @Override
    public long[] milestones() {
        return milestones.clone();
    }

    @Override
    public String describe() {
        return Describe.value(base) + " x" + Describe.value(factor) + " at steps " + Arrays.toString(milestones);
    }

    @Override
    public String toString() {
        return describe();
    }
}
