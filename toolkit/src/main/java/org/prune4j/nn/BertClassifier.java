package org.prune4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A BERT-style encoder with a classification head, trained from scratch: token embeddings plus learned
 * position embeddings, LayerNorm and dropout, {@code layers} {@link EncoderLayer}s, mean pooling over the
 * review's tokens, and a Linear classifier. Padding (id 0) is masked out of attention and pooling.
 *
 * <p>Its input is what a text {@link org.prune4j.data.TokenizedSplit} holds: each example's token ids as a
 * (1, 1, S) float32 row, so the (B, 1, 1, S) batch is read as (B, S) ids. The position table has S rows, fixed
 * when the block is initialised.
 *
 * <p>Initialisation as Google's BERT code: every weight (Linear, token and position embeddings) from a normal
 * with standard deviation 0.02 truncated at two deviations, every bias 0, LayerNorm gain 1 and shift 0.
 * Differences from BERT (docs/models.md): one segment, so no token-type embeddings; mean pooling instead of the
 * [CLS] token and its tanh pooler, because a model trained from scratch on one task has no pretrained [CLS].
 */
public final class BertClassifier extends AbstractBlock {

    /** The id of padding positions, {@link org.prune4j.data.Vocabulary#PAD}. */
    public static final int PAD = 0;

    private final int hidden;
    private final IdEmbedding tokenEmbedding;
    private final Parameter positionEmbedding;
    private final LayerNorm embeddingNorm;
    private final Dropout embeddingDropout;
    private final List<EncoderLayer> encoders = new ArrayList<>();
    private final Linear classifier;

    /**
     * @param vocabulary  token ids the embedding holds (ids must be below it)
     * @param hidden      the width E; a multiple of {@code heads}
     * @param layers      encoder layers
     * @param heads       attention heads per layer
     * @param feedForward inner width of each feed-forward block
     * @param dropout     BERT's hidden and attention dropout
     * @param classes     outputs of the classifier
     */
    public BertClassifier(int vocabulary, int hidden, int layers, int heads, int feedForward, float dropout,
                          int classes) {
        if (vocabulary < 2 || layers < 1 || feedForward < 1 || classes < 1) {
            throw new IllegalArgumentException("vocabulary " + vocabulary + ", layers " + layers + ", feed-forward "
                    + feedForward + ", classes " + classes + ": expected vocabulary >= 2 and the others >= 1");
        }
        this.hidden = hidden;
        this.tokenEmbedding = addChildBlock("tokenEmbedding", new IdEmbedding.Builder()
                .setDictionarySize(vocabulary).setEmbeddingSize(hidden).build());
        this.positionEmbedding = addParameter(Parameter.builder().setName("positionEmbedding")
                .setType(Parameter.Type.WEIGHT).build());
        this.embeddingNorm = addChildBlock("embeddingNorm", EncoderLayer.layerNorm());
        this.embeddingDropout = addChildBlock("embeddingDropout", Dropout.builder().optRate(dropout).build());
        for (int i = 1; i <= layers; i++) {
            encoders.add(addChildBlock("encoder" + i, new EncoderLayer(hidden, heads, feedForward, dropout)));
        }
        this.classifier = addChildBlock("classifier", Linear.builder().setUnits(classes).build());
        setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        positionEmbedding.setShape(new Shape(sequenceLength(inputShapes[0]), hidden));
    }

    private static long sequenceLength(Shape input) {
        return input.size() / input.get(0);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray raw = inputs.singletonOrThrow();
        long batch = raw.getShape().get(0);
        long length = sequenceLength(raw.getShape());
        NDArray ids = raw.reshape(batch, length).toType(DataType.INT64, false);
        NDArray keep = ids.neq(PAD).toType(DataType.FLOAT32, false);
        NDArray tokens = tokenEmbedding.forward(store, new NDList(ids), training).singletonOrThrow();
        NDArray positions = store.getValue(positionEmbedding, raw.getDevice(), training);
        NDList x = embeddingNorm.forward(store, new NDList(tokens.add(positions)), training);
        x = embeddingDropout.forward(store, x, training);
        // (B, T, F): every query position may attend to the review's tokens, never to padding.
        NDArray attentionMask = keep.reshape(batch, 1, length).broadcast(batch, length, length);
        for (EncoderLayer encoder : encoders) {
            x = encoder.forward(store, new NDList(x.singletonOrThrow(), attentionMask), training);
        }
        NDArray keep3 = keep.expandDims(2);
        NDArray pooled = x.singletonOrThrow().mul(keep3).sum(new int[] {1})
                .div(keep.sum(new int[] {1}, true).maximum(1f));
        return classifier.forward(store, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return classifier.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), hidden)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long length = sequenceLength(inputShapes[0]);
        tokenEmbedding.initialize(manager, dataType, new Shape(batch, length));
        Shape embeddings = new Shape(batch, length, hidden);
        embeddingNorm.initialize(manager, dataType, embeddings);
        embeddingDropout.initialize(manager, dataType, embeddings);
        for (EncoderLayer encoder : encoders) {
            encoder.initialize(manager, dataType, embeddings, new Shape(batch, length, length));
        }
        classifier.initialize(manager, dataType, new Shape(batch, hidden));
    }
}
