package org.prune4j.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off in the calling thread, outside GradientCollectors.
 *
 * <p>Why: PyTorch keeps the grad mode per thread, on by default; DJL turns it off only in the thread that
 * starts the engine, and a GradientCollector restores the thread's previous mode when it closes. A training
 * driven from any other thread (a notebook kernel runs each cell in a pool thread, and a new one after an
 * interrupt or an idle minute) would then record every in-place masking and optimizer update and fail with
 * "a leaf Variable that requires grad is being used in an in-place operation". One JNI call per step.
 */
final class GradMode {

    private static final boolean PYTORCH = "PyTorch".equals(Engine.getInstance().getEngineName());

    private GradMode() {}

    /** Off in this thread, as in the thread that started the engine. */
    static void offInThisThread() {
        if (PYTORCH && JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }
}
