/* Shared by the kernels: function multiversioning, the AVX2/FMA clone (x86-64-v3) where the CPU has it, plain
 * SSE2 otherwise; GCC only (clang's target_clones differs), elsewhere the plain build. */
#ifndef PRUNE4J_SIMD_H
#define PRUNE4J_SIMD_H
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PRUNE4J_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define PRUNE4J_CLONES
#endif
#endif
