package org.prune4j.optim;

import org.prune4j.schedule.Schedule;

/**
 * A validated optimizer configuration that becomes a {@link MaskAwareOptimizer} once the trainer
 * knows the length of training (learning-rate milestones are given in epochs).
 */
public interface OptimizerSpec {

    /** Creates the optimizer; the trainer binds it to the model's masks once the weights exist. */
    MaskAwareOptimizer create(int stepsPerEpoch, int epochs);

    /** The learning rate per optimizer step over a run of this length, for plots and history. */
    Schedule learningRate(int stepsPerEpoch, int epochs);

    /** One line for tables and logs, such as {@code sgd lr=0.1 momentum=0.9 nesterov wd=5e-4 lr x0.1 at epochs [50, 75]}. */
    String describe();
}
