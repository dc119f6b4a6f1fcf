package org.prune4j.gap;

import org.prune4j.density.LayerShape;
import org.prune4j.method.LayerAllocation;

import java.util.List;
import java.util.Random;

/**
 * What a GaP schedule needs to be tabulated or charted before training: the layers' names and sizes, the
 * weights each keeps at the target, and the partitions (of the first round, for a random partitioning).
 * Shared by C-GaP and P-GaP, which draw the same plan differently.
 *
 * @param names  the masked layers' names
 * @param sizes  their weight counts
 * @param keep   the weights each keeps at the target sparsity
 * @param groups the partitions, as indices into {@code names}
 */
public record GapPlan(List<String> names, long[] sizes, long[] keep, List<List<Integer>> groups) {

    /** The plan of a schedule over these layers at {@code sparsity}. */
    public static GapPlan of(List<LayerShape> shapes, LayerAllocation allocation, double sparsity, Partitioning partitioning,
                      int partitions) {
        List<String> names = shapes.stream().map(LayerShape::name).toList();
        long[] sizes = shapes.stream().mapToLong(LayerShape::size).toArray();
        long[] keep = allocation.keepCounts(shapes, 1 - sparsity);
        return new GapPlan(names, sizes, keep, partitioning.split(names, sizes, partitions, new Random(0), List.of()));
    }
}
