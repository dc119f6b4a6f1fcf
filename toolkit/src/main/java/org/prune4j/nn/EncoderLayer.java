package org.prune4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.PointwiseFeedForwardBlock;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.List;

/**
 * One BERT encoder layer (Devlin et al. 2019; post-LN as in the original Transformer and Google's BERT code):
 * {@code h = LN(x + Dropout(Attention(x)))}, {@code y = LN(h + Dropout(FFN(h)))}, with FFN = Linear, GELU,
 * Linear. Built from DJL's own blocks: {@link ScaledDotProductAttentionBlock} (the Q, K, V and output
 * projections), {@link PointwiseFeedForwardBlock}, {@link LayerNorm} and {@link Dropout}.
 *
 * <p>Why not DJL's {@code TransformerEncoderBlock}: it normalises with BatchNorm over batch and sequence, not
 * LayerNorm, and adds the layer's input, not the normalised attention output, as the feed-forward residual;
 * neither is BERT (docs/models.md).
 *
 * <p>Input: the embeddings (B, S, E) and the attention mask (B, S, S) with 1 where a position may attend.
 */
public final class EncoderLayer extends AbstractBlock {

    private final ScaledDotProductAttentionBlock attention;
    private final Dropout attentionDropout;
    private final LayerNorm attentionNorm;
    private final PointwiseFeedForwardBlock feedForward;
    private final Dropout outputDropout;
    private final LayerNorm outputNorm;
    private final int heads;

    /**
     * @param hidden      the embedding width E; a multiple of {@code heads}
     * @param heads       attention heads
     * @param feedForward the inner width of the feed-forward block (BERT: 4E)
     * @param dropout     dropout of the attention probabilities and of both residual branches (BERT: 0.1)
     */
    public EncoderLayer(int hidden, int heads, int feedForward, float dropout) {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden width " + hidden + " is not a multiple of " + heads + " heads");
        }
        this.heads = heads;
        this.attention = addChildBlock("attention", ScaledDotProductAttentionBlock.builder()
                .setEmbeddingSize(hidden).setHeadCount(heads).optAttentionProbsDropoutProb(dropout).build());
        this.attentionDropout = addChildBlock("attentionDropout", Dropout.builder().optRate(dropout).build());
        this.attentionNorm = addChildBlock("attentionNorm", layerNorm());
        this.feedForward = addChildBlock("feedForward",
                new PointwiseFeedForwardBlock(List.of(feedForward), hidden, Activation::gelu));
        this.outputDropout = addChildBlock("outputDropout", Dropout.builder().optRate(dropout).build());
        this.outputNorm = addChildBlock("outputNorm", layerNorm());
    }

    /** The attention heads ({@link ScaledDotProductAttentionBlock} keeps its count to itself). */
    public int heads() {
        return heads;
    }

    /** BERT's LayerNorm: over the embedding axis, epsilon 1e-12. */
    static LayerNorm layerNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(1e-12f).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray attended = attention.forward(store, inputs, training).singletonOrThrow();
        NDArray dropped = attentionDropout.forward(store, new NDList(attended), training).singletonOrThrow();
        NDList h = attentionNorm.forward(store, new NDList(x.add(dropped)), training);
        NDArray transformed = feedForward.forward(store, h, training).singletonOrThrow();
        NDArray droppedOut = outputDropout.forward(store, new NDList(transformed), training).singletonOrThrow();
        return outputNorm.forward(store, new NDList(h.singletonOrThrow().add(droppedOut)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embeddings = inputShapes[0];
        attention.initialize(manager, dataType, inputShapes);
        attentionDropout.initialize(manager, dataType, embeddings);
        attentionNorm.initialize(manager, dataType, embeddings);
        feedForward.initialize(manager, dataType, embeddings);
        outputDropout.initialize(manager, dataType, embeddings);
        outputNorm.initialize(manager, dataType, embeddings);
    }
}
