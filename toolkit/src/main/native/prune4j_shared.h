/* What one kernel file of libprune4j_kernels.so lends another. */
#ifndef PRUNE4J_SHARED_H
#define PRUNE4J_SHARED_H
#include <stdbool.h>
#include <stdint.h>

/* A symbol of an already loaded library whose path ends with `suffix` (such as "/libtorch_cpu.so"), or NULL
 * (prune4j_kernels.c). DJL loads PyTorch with System.load, which keeps its symbols out of dlsym(RTLD_DEFAULT). */
void *prune4j_loaded_symbol(const char *suffix, const char *symbol);

/* MaskAwareSgd's update over n weights, exactly as the fused SGD kernel runs it (prune4j_sgd.c, rounded without
 * contraction); v and m may be NULL (no momentum, no mask). */
void prune4j_sgd_update(float *w, const float *g, float *v, const float *m, int64_t n, float lr, float mu, float wd,
                        bool nesterov);
#endif
