/*
 * Fused SGD update for Prune4J (JNI): one pass over a layer's weight, gradient, momentum and mask instead of
 * the ten tensor ops (each a JNI crossing and a full pass over the weights) that MaskAwareSgd issues through DJL.
 *
 * Bit-identical to the DJL path: every multiply and add is rounded on its own, in the order the DJL ops run
 * them (PyTorch's CPU kernels do not fuse a multiply into the next op's add). That is why this file is compiled
 * with -ffp-contract=off, apart from the other kernels: a contracted a*b + c (FMA) rounds once and would
 * change the last bit. The Java side (org.prune4j.kernel.SgdKernel) checks sizes and layouts; nothing here does.
 */
#include <jni.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prune4j_shared.h"
#include "prune4j_simd.h"

/*
 * PyTorch's SGD with the mask applied after the update, as MaskAwareSgd writes it:
 *   g' = g + w*wd;  v = v*mu + g';  u = lr * (nesterov ? g' + v*mu : v)  (u = g'*lr without momentum);
 *   w = (w - u) * m + 0  (the + 0 turns -0 into +0, as SparseModel.applyMask does);
 *   grad_acc = grad_acc * 0  (as the DJL path clears it: -0 where it was negative, NaN where it was NaN).
 * v, m and grad_acc may be NULL (no momentum, no mask, no accumulated gradient to clear). The gradient g may be
 * the accumulated gradient itself, so neither is declared restrict: each element is read before it is cleared.
 */
PRUNE4J_CLONES
static void sgd_step(float *restrict w, const float *g, float *restrict v, const float *restrict m, float *grad_acc,
        int64_t n, float lr, float mu, float wd, bool nesterov) {
    for (int64_t i = 0; i < n; i++) {
        float gi = g[i];
        if (wd != 0.0f) {
            gi = gi + w[i] * wd;
        }
        float u;
        if (v == NULL) {
            u = gi * lr;
        } else {
            float vi = v[i] * mu + gi;
            v[i] = vi;
            u = nesterov ? (gi + vi * mu) * lr : vi * lr;
        }
        float wi = w[i] - u;
        if (m != NULL) {
            wi = wi * m[i] + 0.0f;
        }
        w[i] = wi;
        if (grad_acc != NULL) {
            grad_acc[i] = grad_acc[i] * 0.0f;
        }
    }
}

void prune4j_sgd_update(float *w, const float *g, float *v, const float *m, int64_t n, float lr, float mu, float wd,
                        bool nesterov) {
    sgd_step(w, g, v, m, NULL, n, lr, mu, wd, nesterov);
}

static float *floats_or_null(JNIEnv *env, jobject buffer) {
    return buffer == NULL ? NULL : (float *) (*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT void JNICALL Java_org_prune4j_kernel_SgdKernel_step(JNIEnv *env, jclass cls, jobject w, jobject g,
        jobject v, jobject m, jobject grad_acc, jlong n, jfloat lr, jfloat mu, jfloat wd, jboolean nesterov) {
    sgd_step(floats_or_null(env, w), floats_or_null(env, g), floats_or_null(env, v), floats_or_null(env, m),
            floats_or_null(env, grad_acc), n, lr, mu, wd, nesterov == JNI_TRUE);
}
