/**
 * The model zoo: small reference networks for sparse-training experiments (LeNet-300-100, LeNet-5,
 * CIFAR ResNets, a small VGG), built only from DJL's own blocks so that the sparsity engine sees
 * plain {@code Linear} and {@code Conv2d} weights it can mask.
 *
 * <p>{@link org.prune4j.nn.Models} is the public face; {@link org.prune4j.nn.ModelSpec} is what the
 * command line looks names up in.
 */
package org.prune4j.nn;
