package org.prune4j.report;

/**
 * What a run was asked to do: the settings that identify it in a sweep and make it reproducible.
 *
 * @param model          model name, non-blank (for example {@code "lenet300"})
 * @param dataset        dataset name, non-blank
 * @param method         sparsity method name, non-blank (for example {@code "gmp"})
 * @param targetSparsity sparsity the method aimed for, in [0,1]
 * @param epochs         planned number of epochs, {@code >= 1}
 * @param seed           random seed
 * @param device         device the run trained on, non-blank (for example {@code "gpu(0)"})
 */
public record RunInfo(String model, String dataset, String method, double targetSparsity,
                      int epochs, long seed, String device) {

    /** Validates every field; an {@link IllegalArgumentException} names the bad value and its range. */
    public RunInfo {
        Checks.text("model", model);
        Checks.text("dataset", dataset);
        Checks.text("method", method);
        Checks.unit("targetSparsity", targetSparsity);
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs " + epochs + " outside [1,inf)");
        }
        Checks.text("device", device);
    }
}
