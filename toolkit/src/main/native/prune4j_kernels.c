/*
 * Fused CPU kernels for Prune4J (JNI). PyTorch has no fused kernel for PDP's soft mask, and through DJL each
 * elementwise step is a separate pass over the weights: about thirteen per layer and step. These loops do the
 * same arithmetic in one pass each, on the tensors' own memory (DJL hands out direct buffers of contiguous CPU
 * tensors). The Java side (org.prune4j.kernel) checks every size and layout before a call; nothing here does.
 *
 * Built by build.sh at package time when a C compiler is present; without it the toolkit uses DJL ops.
 */
#include <jni.h>
#include <math.h>
#include <stdint.h>

/* glibc's libmvec has vector versions of expf; declaring them lets GCC vectorise the loops below without
 * -ffast-math (which would also let it drop NaN handling: a NaN weight must give a NaN output). */
float expf(float) __attribute__((simd("notinbranch")));

/* Function multiversioning: the AVX2/FMA clone (x86-64-v3) where the CPU has it, plain SSE2 otherwise. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PRUNE4J_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define PRUNE4J_CLONES
#endif

/* m = sigmoid((w^2 - t^2) / tau) = 1 / (1 + exp(c - w^2 / tau)), c = t^2 / tau one value for the layer. */
PRUNE4J_CLONES
static void soft_mask(const float *restrict w, float *restrict m, int64_t n, float inv_tau, float c) {
    for (int64_t i = 0; i < n; i++) {
        float x = w[i];
        m[i] = 1.0f / (1.0f + expf(c - x * x * inv_tau));
    }
}

/* The same with c = t^2 / tau given per weight (N:M: each weight carries its group's threshold). */
PRUNE4J_CLONES
static void soft_mask_each(const float *restrict w, const float *restrict c, float *restrict m, int64_t n,
        float inv_tau) {
    for (int64_t i = 0; i < n; i++) {
        float x = w[i];
        m[i] = 1.0f / (1.0f + expf(c[i] - x * x * inv_tau));
    }
}

/* In place, m -> d(w m)/dw = m + 2 (w^2 / tau) m (1 - m), t^2 held constant. */
PRUNE4J_CLONES
static void to_derivative(const float *restrict w, float *restrict m, int64_t n, float inv_tau) {
    float two_inv_tau = 2.0f * inv_tau;
    for (int64_t i = 0; i < n; i++) {
        float x = w[i];
        float s = m[i];
        m[i] = s + two_inv_tau * x * x * s * (1.0f - s);
    }
}

/* Counts the |w| >= ceiling into *above and copies the |w| in [floor, ceiling) into band (at most capacity of
 * them); returns how many lie in that band in all. Blocks of 64 are counted in vectorised loops first, and only
 * a block that holds band values is walked again to copy them: the band is a small share of all weights. */
PRUNE4J_CLONES
static int64_t magnitude_band(const float *restrict w, int64_t n, float floor, float ceiling,
        float *restrict band, int64_t capacity, int64_t *above) {
    int64_t in_band = 0;
    int64_t over = 0;
    for (int64_t start = 0; start < n; start += 64) {
        int64_t end = start + 64 < n ? start + 64 : n;
        int block_over = 0;
        int block_band = 0;
        for (int64_t i = start; i < end; i++) {
            float a = fabsf(w[i]);
            block_over += a >= ceiling;
            block_band += (a >= floor) & (a < ceiling);
        }
        over += block_over;
        if (block_band == 0) {
            continue;
        }
        for (int64_t i = start; i < end; i++) {
            float a = fabsf(w[i]);
            if (a >= floor && a < ceiling) {
                if (in_band < capacity) {
                    band[in_band] = a;
                }
                in_band++;
            }
        }
    }
    *above = over;
    return in_band;
}

static float *floats(JNIEnv *env, jobject buffer) {
    return (float *) (*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT void JNICALL Java_org_prune4j_kernel_SoftMaskKernel_softMask(JNIEnv *env, jclass cls, jobject w,
        jobject m, jlong n, jfloat inv_tau, jfloat c) {
    soft_mask(floats(env, w), floats(env, m), n, inv_tau, c);
}

JNIEXPORT void JNICALL Java_org_prune4j_kernel_SoftMaskKernel_softMaskEach(JNIEnv *env, jclass cls, jobject w,
        jobject c, jobject m, jlong n, jfloat inv_tau) {
    soft_mask_each(floats(env, w), floats(env, c), floats(env, m), n, inv_tau);
}

JNIEXPORT void JNICALL Java_org_prune4j_kernel_SoftMaskKernel_toDerivative(JNIEnv *env, jclass cls, jobject w,
        jobject m, jlong n, jfloat inv_tau) {
    to_derivative(floats(env, w), floats(env, m), n, inv_tau);
}

/* counts[0] = |w| >= ceiling, counts[1] = |w| in [floor, ceiling), the first band.length of which are copied. */
JNIEXPORT void JNICALL Java_org_prune4j_kernel_MagnitudeBand_scan(JNIEnv *env, jclass cls, jobject w, jlong n,
        jfloat floor, jfloat ceiling, jfloatArray band, jlongArray counts) {
    jsize capacity = (*env)->GetArrayLength(env, band);
    float *target = (*env)->GetPrimitiveArrayCritical(env, band, NULL);
    if (target == NULL) {
        return; /* out of memory: the JVM has an exception pending */
    }
    int64_t above = 0;
    int64_t in_band = magnitude_band(floats(env, w), n, floor, ceiling, target, capacity, &above);
    (*env)->ReleasePrimitiveArrayCritical(env, band, target, 0);
    jlong result[2] = {above, in_band};
    (*env)->SetLongArrayRegion(env, counts, 0, 2, result);
}
