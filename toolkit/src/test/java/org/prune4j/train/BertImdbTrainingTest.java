package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.data.DataSplit;
import org.prune4j.data.ImdbFixture;
import org.prune4j.mask.Pattern;
import org.prune4j.method.Gmp;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

/**
 * BERT-Tiny on real IMDB reviews: a short GMP 2:4 training on the first 4,000 training reviews (balanced, see
 * datasets/README.md), tested on the first 2,000 test reviews. It must beat chance (0.5) by 10 points, and every
 * masked projection and feed-forward layer must hold exactly 2 of every 4 weights, the classifier none masked.
 */
@Tag("slow")
class BertImdbTrainingTest {

    private static DataSplit imdb;

    @BeforeAll
    static void load() {
        imdb = ImdbFixture.subset(4_000, 2_000);
    }

    @Test
    void gmpTwoFourTrainsBertTinyWellAboveChanceWithTheMaskInEveryEncoderLayer() {
        SparseTraining training = SparseTraining.of("bert-tiny", imdb)
                .method(Gmp.builder().sparsity(0.5).pattern(Pattern.nOfM(2, 4)).build())
                .batchSize(64).epochs(2).seed(1).progress(Progress.silent());
        try (TrainingSession session = training.session()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int step = 0; step < session.stepsPerEpoch(); step++) {
                    session.trainStep();
                }
                session.finishEpoch();
            }
            double accuracy = session.testAccuracy();
            // Measured: see the assertion message; chance is 0.5 (the 2,000 test reviews are balanced).
            assertTrue(accuracy >= 0.60, "test accuracy " + accuracy);
            SparseModel model = session.model();
            assertEquals(12, model.weights().size(), "the classifier stays dense: " + model.names());
            for (MaskedWeight weight : model.weights()) {
                NDArray values = model.values(weight);
                float[] perGroup = values.reshape(-1, 4).neq(0).sum(new int[] {1}).toType(DataType.FLOAT32, false)
                        .toFloatArray();
                for (int g = 0; g < perGroup.length; g++) {
                    assertEquals(2f, perGroup[g], weight.name() + " group " + g);
                }
                assertEquals(weight.shape().size() / 2, model.nonzeros(weight), weight.name());
            }
            assertEquals(List.of("enc1.key", "enc1.query", "enc1.value", "enc1.out", "enc1.ff1", "enc1.ff2"),
                    model.names().subList(0, 6));
        }
    }
}
