package org.prune4j.infer;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Inference of a trained model on host floats, two ways: the plain DJL forward ({@link #predictDense}) and a
 * planned path ({@link #predict}) whose Linear layers each run dense (PyTorch) or sparse (CSR, Java) as the plan
 * for that batch size says. Both give the same outputs within float rounding, so timing them compares what a
 * caller of either would wait for. {@link SparseInference} plans MLP heads (LeNets), {@link SparseEncoderInference}
 * the zoo's BERT classifier.
 */
public interface Predictor {

    /** The plain DJL forward in inference mode: batch-major inputs in, batch-major outputs out. */
    float[] predictDense(float[] input, int batch);

    /** Inference with the planned per-layer paths; equals {@link #predictDense} within float rounding. */
    float[] predict(float[] input, int batch);

    /** The choice made for every planned Linear layer at this batch size (batch = examples given to predict). */
    List<SparseInference.Choice> choices(int batch);

    /** A short name of the plan at this batch size: "dense", "sparse", or "mixed (k of n sparse)". */
    default String pathName(int batch) {
        List<SparseInference.Choice> choices = choices(batch);
        long sparse = choices.stream().filter(SparseInference.Choice::sparse).count();
        return sparse == 0 ? "dense" : sparse == choices.size() ? "sparse" : "mixed (" + sparse + " of " + choices.size() + " sparse)";
    }

    /** Table "inference": layer, shape, density, then the path at each batch size (columns "batch N"). */
    default Table table(int... batches) {
        Table table = Table.create("inference", StringColumn.create("layer"), StringColumn.create("shape"),
                DoubleColumn.create("density"));
        for (int batch : batches) {
            table.addColumns(StringColumn.create("batch " + batch));
        }
        List<SparseInference.Choice> layers = choices(batches.length == 0 ? 1 : batches[0]);
        for (int i = 0; i < layers.size(); i++) {
            table.stringColumn("layer").append(layers.get(i).layer());
            table.stringColumn("shape").append(layers.get(i).shape());
            table.doubleColumn("density").append(layers.get(i).density());
            for (int batch : batches) {
                table.stringColumn("batch " + batch).append(choices(batch).get(i).sparse() ? "sparse (CSR, Java)" : "dense (PyTorch)");
            }
        }
        return table;
    }
}
