/*
 * Fused CPU kernels for Prune4J (JNI). PyTorch has no fused kernel for PDP's soft mask, and through DJL each
 * elementwise step is a separate pass over the weights: about thirteen per layer and step. These loops do the
 * same arithmetic in one pass each, on the tensors' own memory (DJL hands out direct buffers of contiguous CPU
 * tensors). The Java side (org.prune4j.kernel) checks every size and layout before a call; nothing here does.
 *
 * Built by build.sh at package time when a C compiler is present; without it the toolkit uses DJL ops.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <link.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* glibc's libmvec has vector versions of expf; declaring them lets GCC vectorise the loops below without
 * -ffast-math (which would also let it drop NaN handling: a NaN weight must give a NaN output). */
float expf(float) __attribute__((simd("notinbranch")));

#include "prune4j_shared.h"
#include "prune4j_simd.h"

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

/* The loaded library whose path ends with `suffix`, opened again without loading anything (DJL loads PyTorch with
 * System.load, which keeps its symbols out of the global namespace, so dlsym(RTLD_DEFAULT, ...) cannot see them). */
struct library_search {
    const char *suffix;
    char path[4096];
};

static int match_library(struct dl_phdr_info *info, size_t size, void *data) {
    struct library_search *search = data;
    size_t length = strlen(info->dlpi_name), wanted = strlen(search->suffix);
    if (length >= wanted && length < sizeof search->path && strcmp(info->dlpi_name + length - wanted, search->suffix) == 0) {
        memcpy(search->path, info->dlpi_name, length + 1);
        return 1;
    }
    return 0;
}

/* The loaded library whose path ends with `suffix`, opened again without loading anything, or NULL where none is
 * loaded. DJL's own load keeps the library in memory, so the caller may close this handle at once. */
static void *open_loaded(const char *suffix) {
    struct library_search search = {suffix, {0}};
    return dl_iterate_phdr(match_library, &search) ? dlopen(search.path, RTLD_NOW | RTLD_NOLOAD) : NULL;
}

/* A symbol of a loaded library whose path ends with `suffix` (prune4j_shared.h); NULL when either is missing. */
void *prune4j_loaded_symbol(const char *suffix, const char *symbol) {
    void *library = open_loaded(suffix);
    if (library == NULL) {
        return NULL;
    }
    void *found = dlsym(library, symbol);
    dlclose(library);
    return found;
}

/* Turns on c10's zero fill of every CPU tensor allocation (FLAGS_caffe2_cpu_allocator_do_zero_fill, the flag
 * PyTorch has for exactly this). Why: oneDNN's blocked layouts pad a channel count that is not a multiple of the
 * vector block (LeNet-5's 1 and 20) and multiply the padding lanes by zero weights; in a reused allocation those
 * lanes hold stale bytes, and a stale NaN or infinity times zero is NaN (docs/models.md, "oneDNN padding").
 * Returns 1 when set, 0 when PyTorch's libc10 is not loaded yet, -1 when it has no such flag. */
JNIEXPORT jint JNICALL Java_org_prune4j_kernel_TorchCpuAllocator_zeroFillNative(JNIEnv *env, jclass cls) {
    void *library = open_loaded("/libc10.so");
    if (library == NULL) {
        return 0;
    }
    bool *flag = dlsym(library, "FLAGS_caffe2_cpu_allocator_do_zero_fill");
    if (flag != NULL) {
        *flag = true;
    }
    dlclose(library);
    return flag == NULL ? -1 : 1;
}
