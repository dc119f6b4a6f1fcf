package org.prune4j.method;

import org.prune4j.schedule.GradualSchedule;
import org.prune4j.schedule.Schedules;

/**
 * When gradual pruning happens, in (fractional) epochs, and the cubic schedule it gives once the run's
 * length is known: shared by GMP and GraNet, whose pruning phases are the same Zhu and Gupta ramp.
 *
 * @param label              the method's name in error messages, such as {@code GMP}
 * @param initialSparsity    s_i, before the window
 * @param finalSparsity      s_f, from the window's end on
 * @param startEpoch         the window's start
 * @param endEpoch           the window's end, or null for {@code defaultEndFraction} of the run
 * @param defaultEndFraction the end as a fraction of the run when none is given
 * @param every              steps between updates (dT)
 * @param power              the schedule's exponent
 */
record PruningWindow(String label, double initialSparsity, double finalSparsity, double startEpoch, Double endEpoch,
        double defaultEndFraction, long every, double power) {

    /**
     * The schedule over optimizer steps for a run of this length.
     *
     * @throws IllegalArgumentException if the window ends after the run, or starts at or after its end
     */
    GradualSchedule schedule(int stepsPerEpoch, int epochs) {
        double end = endEpoch != null ? endEpoch : defaultEndFraction * epochs;
        if (end > epochs) {
            throw new IllegalArgumentException(label + " end epoch " + end + " is after the last epoch: expected <= " + epochs);
        }
        if (end <= startEpoch) {
            // Only reachable with the default end (the builders check an explicit one): the schedule would
            // end after the run and the target sparsity would never be reached.
            throw new IllegalArgumentException(label + " start epoch " + startEpoch + " is not before the end epoch "
                    + end + ": expected < " + end);
        }
        long startStep = Math.round(startEpoch * stepsPerEpoch);
        long endStep = Math.max(startStep + 1, Math.round(end * stepsPerEpoch));
        return Schedules.gradual()
                .from(initialSparsity).to(finalSparsity)
                .startStep(startStep).endStep(endStep)
                .every(every).power(power)
                .build();
    }
}
