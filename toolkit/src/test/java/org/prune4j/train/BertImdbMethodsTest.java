package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.data.DataSplit;
import org.prune4j.data.ImdbFixture;
import org.prune4j.method.SparsityMethod;
import org.prune4j.registry.MethodRegistry;
import org.prune4j.registry.MapSettings;
import org.prune4j.report.Run;

/**
 * Every one-training method of the registry trains BERT-Tiny on real IMDB reviews (512 training reviews, 256 test
 * reviews, a few steps) and ends with its masked layers, the twelve encoder projections and feed-forward layers, at
 * the target sparsity, the classifier dense. P-GaP runs these same trainings in its workers (PGapTest covers the
 * rounds).
 */
@Tag("slow")
class BertImdbMethodsTest {

    private static DataSplit imdb;

    @BeforeAll
    static void load() {
        imdb = ImdbFixture.subset(512, 256);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "gmp, 0.9, 2, interval=2",
        "gmp, 0.5, 2, pattern=2:4 interval=2",
        "granet, 0.9, 2, interval=2",
        "granet-st, 0.9, 2, interval=2",
        "rigl, 0.9, 2, interval=2",
        "set, 0.9, 2, interval=2",
        "static, 0.9, 1, ''",
        "snip, 0.9, 1, ''",
        "lth, 0.9, 2, rounds=2",
        "pdp, 0.9, 2, warmup-epochs=0 fine-tune-epochs=1",
        "pdp, 0.5, 2, pattern=2:4 warmup-epochs=0 fine-tune-epochs=1",
        "cgap, 0.9, 3, partitions=2 step-epochs=1 rounds=1 finetune-epochs=1",
    })
    void trainsBertTinyToTheTargetSparsityOnTheEncoderLayers(String name, double sparsity, int epochs, String pairs) {
        SparsityMethod method = MethodRegistry.build(name, sparsity, MapSettings.parse(pairs));
        Run run = SparseTraining.of("bert-tiny", imdb).method(method)
                .batchSize(64).epochs(epochs).seed(1).progress(Progress.silent()).fit();
        assertEquals(12, run.layerRows().size(), run.layerRows().toString());
        assertFalse(run.layerRows().stream().anyMatch(row -> row.layer().equals("classifier")));
        assertTrue(run.layerRows().stream().allMatch(row -> row.layer().startsWith("enc")));
        assertEquals(sparsity, run.measuredSparsity(), 0.002, name + " measured sparsity");
        assertTrue(Double.isFinite(run.historyRows().get(run.historyRows().size() - 1).loss()));
        assertTrue(run.testAccuracy() > 0.3, "test accuracy " + run.testAccuracy());
    }

    /**
     * {@code --also-prune embedding,classifier}: the token embedding (20,000 x 128) and the classifier join the twelve
     * encoder layers, fourteen in all, and the methods that score, regrow or soft-mask weights reach them too.
     */
    @ParameterizedTest(name = "{0} {1} with the embedding and classifier")
    @CsvSource({
        "gmp, 0.9, 2, interval=2",
        "granet, 0.9, 2, interval=2",
        "pdp, 0.5, 2, pattern=2:4 warmup-epochs=0 fine-tune-epochs=1",
        "cgap, 0.9, 3, partitions=2 step-epochs=1 rounds=1 finetune-epochs=1",
    })
    void alsoPrunesTheEmbeddingAndClassifierWhenAsked(String name, double sparsity, int epochs, String pairs) {
        SparsityMethod method = MethodRegistry.build(name, sparsity, MapSettings.parse(pairs));
        Run run = SparseTraining.of("bert-tiny", imdb).alsoPrune("embedding", "classifier").method(method)
                .batchSize(64).epochs(epochs).seed(1).progress(Progress.silent()).fit();
        assertEquals(14, run.layerRows().size(), run.layerRows().toString());
        assertEquals("embedding", run.layerRows().get(0).layer());
        assertEquals(20_000L * 128, run.layerRows().get(0).parameters());
        assertEquals("classifier", run.layerRows().get(13).layer());
        assertEquals(sparsity, run.measuredSparsity(), 0.002, name + " measured sparsity");
        assertTrue(run.layerRows().get(0).density() < 1 - sparsity / 2, "the embedding is pruned: " + run.layerRows().get(0));
        assertTrue(run.layerRows().get(13).density() < 1, "the classifier is pruned: " + run.layerRows().get(13));
        assertTrue(Double.isFinite(run.historyRows().get(run.historyRows().size() - 1).loss()));
    }
}
