/*
 * glibc malloc's thresholds, for profiling (JNI). By default glibc returns large freed blocks to the kernel and
 * adjusts its thresholds as blocks come and go; under libtorch's profiler the step's tensors were then mapped
 * afresh each step, and their page faults were charged to whichever op first wrote them (a matrix product
 * three times its unprofiled cost). With fixed thresholds freed memory is reused, as in an unprofiled run.
 */
#include <jni.h>
#include <malloc.h>

JNIEXPORT jboolean JNICALL Java_org_prune4j_kernel_ProcessHeap_keepFreedMemory(JNIEnv *env, jclass cls,
        jint mmap_threshold, jint trim_threshold) {
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1 && mallopt(M_TRIM_THRESHOLD, trim_threshold) == 1;
}
