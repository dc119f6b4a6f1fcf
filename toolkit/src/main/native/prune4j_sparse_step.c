/*
 * A whole training step of a masked multilayer perceptron (Linear, ReLU, ..., Linear) that touches only the
 * kept weights: forward, softmax cross-entropy, backward and SGD, in one native call.
 *
 * Why: at 95-99% sparsity a dense step multiplies mostly zeros. Here every product runs over the kept
 * positions of a layer (its mask as compressed rows: a row start per output, the kept input columns), so a
 * step costs in proportion to the kept weights. The weights, biases and momentum stay in the model's own
 * tensors (updated in place), so evaluation, checkpoints and export see the same arrays as the dense path.
 *
 * Layout: activations are feature-major, [feature][batch], so every inner loop runs over the batch, contiguous,
 * and vectorises; the batch arrives example-major, [batch][feature], and is transposed once (for a sparse first
 * layer; a dense one reads it as it is).
 *
 * A layer whose mask keeps too much for that to pay runs dense instead (no kept rows given): its three products
 * go through the BLAS that PyTorch itself calls (sgemm_ in libtorch_cpu.so, found at run time), and its update
 * is the fused SGD kernel's, mask and all, so it trains as the dense path trains it. The per-layer choice is the
 * Java side's (TrainingCostModel).
 *
 * The maths is the dense path's (DJL's Linear, ReLU, softmaxCrossEntropyLoss, MaskAwareSgd) with the masked
 * terms left out; only the order of summation differs, so results agree within float rounding (tested).
 */
#include <jni.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "prune4j_shared.h"
#include "prune4j_simd.h"

/* One masked Linear layer: weight [out][in] (row-major, as DJL keeps it), its kept positions as rows, or, for a
 * dense layer, no rows and its mask and a weight-gradient buffer instead. */
typedef struct {
    int in, out;
    float *weight, *bias, *weight_velocity, *bias_velocity;
    const int32_t *row_start; /* out + 1 entries; NULL for a dense layer */
    const int32_t *column;    /* row_start[out] entries */
    const float *mask;        /* dense layer: its 0/1 mask, [out][in] (NULL: none) */
    float *weight_grad;       /* dense layer: room for its weight gradient, [out][in] */
} layer;

/* The Fortran BLAS product C = alpha op(A) op(B) + beta C, column-major, 32-bit sizes (MKL's LP64, as PyTorch links it). */
typedef void (*sgemm_function)(const char *transa, const char *transb, const int *m, const int *n, const int *k,
                               const float *alpha, const float *a, const int *lda, const float *b, const int *ldb,
                               const float *beta, float *c, const int *ldc);

static sgemm_function sgemm;

/* C (m x n) = alpha op(A) op(B) + beta C, all column-major. */
static void product(char transa, char transb, int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                    float beta, float *c, int ldc) {
    const float one = 1.0f;
    sgemm(&transa, &transb, &m, &n, &k, &one, a, &lda, b, &ldb, &beta, c, &ldc);
}

/*
 * Feature-major activations are column-major [batch x features] matrices, and a row-major [out][in] weight is a
 * column-major [in x out] one, W^T. So the forward pass is out_t = in_t W^T ('N', 'N'), the input gradient
 * in_grad_t = delta_t W ('N', 'T') and the weight gradient (row-major) = in_t^T delta_t ('T', 'N'). A dense first
 * layer reads the batch as it arrives, example-major (a column-major [features x batch] matrix): 'T' for it in the
 * forward pass, 'N' in the weight gradient, and the batch is never transposed.
 */
static void dense_forward(const layer *l, const float *in, int example_major, float *out_t, int batch) {
    for (int i = 0; i < l->out; i++) {
        float *row = out_t + (int64_t) i * batch;
        for (int b = 0; b < batch; b++) {
            row[b] = l->bias[i];
        }
    }
    if (example_major) {
        product('T', 'N', batch, l->out, l->in, in, l->in, l->weight, l->in, 1.0f, out_t, batch);
    } else {
        product('N', 'N', batch, l->out, l->in, in, batch, l->weight, l->in, 1.0f, out_t, batch);
    }
}

/* out_t[i][b] = bias[i] + sum over kept (i, j) of weight[i][j] * in_t[j][b]. */
PRUNE4J_CLONES
static void forward(const layer *l, const float *in_t, float *out_t, int batch) {
    for (int i = 0; i < l->out; i++) {
        float *row = out_t + (int64_t) i * batch;
        float b0 = l->bias[i];
        for (int b = 0; b < batch; b++) {
            row[b] = b0;
        }
        const float *w = l->weight + (int64_t) i * l->in;
        for (int k = l->row_start[i]; k < l->row_start[i + 1]; k++) {
            int j = l->column[k];
            float wij = w[j];
            const float *x = in_t + (int64_t) j * batch;
            for (int b = 0; b < batch; b++) {
                row[b] += wij * x[b];
            }
        }
    }
}

PRUNE4J_CLONES
static void relu(float *a, int64_t n) {
    for (int64_t k = 0; k < n; k++) {
        a[k] = a[k] > 0.0f ? a[k] : 0.0f;
    }
}

/*
 * Softmax cross-entropy, mean over the batch: the loss, the correct count (arg max, first on ties) and the
 * logits' gradient (softmax - one-hot) / batch, written over the logits.
 */
static double softmax_cross_entropy(float *logits_t, const int64_t *labels, int classes, int batch, int64_t *correct) {
    double loss = 0;
    *correct = 0;
    for (int b = 0; b < batch; b++) {
        float max = logits_t[b];
        int best = 0;
        for (int c = 1; c < classes; c++) {
            float v = logits_t[(int64_t) c * batch + b];
            if (v > max) {
                max = v;
                best = c;
            }
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += exp((double) logits_t[(int64_t) c * batch + b] - max);
        }
        int64_t label = labels[b];
        if (label < 0 || label >= classes) {
            /* Never read outside the logits: a NaN loss stops training with the step named (FiniteCheck). */
            *correct = 0;
            return NAN;
        }
        loss -= (double) logits_t[label * batch + b] - max - log(sum);
        *correct += best == label;
        for (int c = 0; c < classes; c++) {
            float *v = &logits_t[(int64_t) c * batch + b];
            float p = (float) (exp((double) *v - max) / sum);
            *v = (p - (c == label ? 1.0f : 0.0f)) / (float) batch;
        }
    }
    return loss / batch;
}

/*
 * Backward through one layer, then its SGD update at the kept positions. delta_t: the gradient at its output,
 * [out][batch]; in_t: its input; in_grad_t, when not null, receives the gradient at its input (computed with
 * the weights before the update). SGD as MaskAwareSgd: g' = g + wd w; v = m v + g'; w -= lr (nesterov ? g' + m v : v).
 */
PRUNE4J_CLONES
static void backward_and_update(const layer *l, const float *delta_t, const float *in_t, float *in_grad_t, int batch,
                                float lr, float momentum, float weight_decay, int nesterov) {
    if (in_grad_t != NULL) {
        memset(in_grad_t, 0, sizeof(float) * (size_t) l->in * batch);
        for (int i = 0; i < l->out; i++) {
            const float *d = delta_t + (int64_t) i * batch;
            const float *w = l->weight + (int64_t) i * l->in;
            for (int k = l->row_start[i]; k < l->row_start[i + 1]; k++) {
                float wij = w[l->column[k]];
                float *g = in_grad_t + (int64_t) l->column[k] * batch;
                for (int b = 0; b < batch; b++) {
                    g[b] += wij * d[b];
                }
            }
        }
    }
    for (int i = 0; i < l->out; i++) {
        const float *d = delta_t + (int64_t) i * batch;
        float *w = l->weight + (int64_t) i * l->in;
        float *v = l->weight_velocity == NULL ? NULL : l->weight_velocity + (int64_t) i * l->in;
        for (int k = l->row_start[i]; k < l->row_start[i + 1]; k++) {
            int j = l->column[k];
            const float *x = in_t + (int64_t) j * batch;
            float g = 0.0f;
            for (int b = 0; b < batch; b++) {
                g += d[b] * x[b];
            }
            g += weight_decay * w[j];
            if (v == NULL) {
                w[j] -= lr * g;
            } else {
                v[j] = momentum * v[j] + g;
                w[j] -= lr * (nesterov ? g + momentum * v[j] : v[j]);
            }
        }
        float g = 0.0f;
        for (int b = 0; b < batch; b++) {
            g += d[b];
        }
        g += weight_decay * l->bias[i];
        if (l->bias_velocity == NULL) {
            l->bias[i] -= lr * g;
        } else {
            float *bv = &l->bias_velocity[i];
            *bv = momentum * *bv + g;
            l->bias[i] -= lr * (nesterov ? g + momentum * *bv : *bv);
        }
    }
}

/* A dense layer's backward pass and update: the input gradient from the weights before the update, then the whole
 * weight gradient and the fused SGD kernel's masked update over it. */
static void dense_backward_and_update(const layer *l, const float *delta_t, const float *in, int example_major,
                                      float *in_grad_t, int batch, float lr, float momentum, float weight_decay,
                                      int nesterov) {
    if (in_grad_t != NULL) {
        product('N', 'T', batch, l->in, l->out, delta_t, batch, l->weight, l->in, 0.0f, in_grad_t, batch);
    }
    if (example_major) {
        product('N', 'N', l->in, l->out, batch, in, l->in, delta_t, batch, 0.0f, l->weight_grad, l->in);
    } else {
        product('T', 'N', l->in, l->out, batch, in, batch, delta_t, batch, 0.0f, l->weight_grad, l->in);
    }
    prune4j_sgd_update(l->weight, l->weight_grad, l->weight_velocity, l->mask, (int64_t) l->out * l->in, lr, momentum,
                       weight_decay, nesterov);
    for (int i = 0; i < l->out; i++) {
        const float *d = delta_t + (int64_t) i * batch;
        float g = 0.0f;
        for (int b = 0; b < batch; b++) {
            g += d[b];
        }
        prune4j_sgd_update(&l->bias[i], &g, l->bias_velocity == NULL ? NULL : &l->bias_velocity[i], NULL, 1, lr,
                           momentum, weight_decay, nesterov);
    }
}

/* Finds the BLAS product PyTorch uses; 1 when found. Called once from Java, after DJL has loaded PyTorch. */
JNIEXPORT jboolean JNICALL Java_org_prune4j_kernel_SparseMlpKernel_findDenseProduct(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    if (sgemm == NULL) {
        sgemm = (sgemm_function) prune4j_loaded_symbol("/libtorch_cpu.so", "sgemm_");
    }
    return sgemm != NULL ? JNI_TRUE : JNI_FALSE;
}

/* at::get_num_threads(): the intra-op threads PyTorch's ops, and so the dense products, run with; 0 if not found. */
JNIEXPORT jint JNICALL Java_org_prune4j_kernel_SparseMlpKernel_torchThreadsNative(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    int (*get_num_threads)(void) = (int (*)(void)) prune4j_loaded_symbol("/libtorch_cpu.so", "_ZN2at15get_num_threadsEv");
    return get_num_threads == NULL ? 0 : get_num_threads();
}

/* in_t[j][b] = in[b][j]. */
static void transpose(const float *in, float *in_t, int batch, int features) {
    for (int b = 0; b < batch; b++) {
        const float *row = in + (int64_t) b * features;
        for (int j = 0; j < features; j++) {
            in_t[(int64_t) j * batch + b] = row[j];
        }
    }
}

static void *address(JNIEnv *env, jobjectArray buffers, int k) {
    jobject buffer = (*env)->GetObjectArrayElement(env, buffers, k);
    if (buffer == NULL) {
        return NULL;
    }
    void *at = (*env)->GetDirectBufferAddress(env, buffer);
    (*env)->DeleteLocalRef(env, buffer);
    return at;
}

/*
 * buffers, per layer l, 8 entries: weight, bias, weight velocity (or null), bias velocity (or null), row starts
 * (int32) and columns (int32), or, for a dense layer, null, null, its mask (or null) and a weight-gradient buffer. scratch: batch x (the sum of the widths + 2 x the widest hidden width) floats: the
 * transposed input, each layer's output and two gradients at hidden layers (SparseMlpKernel.scratchFloats). Returns {loss, correct} in result (float64 x 2).
 */
JNIEXPORT void JNICALL Java_org_prune4j_kernel_SparseMlpKernel_step(JNIEnv *env, jclass cls, jobject input,
        jobject labels, jint batch, jintArray widths, jobjectArray buffers, jobject scratch, jfloat lr, jfloat momentum,
        jfloat weight_decay, jboolean nesterov, jobject result) {
    (void) cls;
    int n = (*env)->GetArrayLength(env, widths) - 1;
    jint width[64];
    if (n < 1 || n > 63) {
        return;
    }
    (*env)->GetIntArrayRegion(env, widths, 0, n + 1, width);
    layer layers[63];
    for (int l = 0; l < n; l++) {
        layers[l].in = width[l];
        layers[l].out = width[l + 1];
        layers[l].weight = address(env, buffers, 8 * l);
        layers[l].bias = address(env, buffers, 8 * l + 1);
        layers[l].weight_velocity = address(env, buffers, 8 * l + 2);
        layers[l].bias_velocity = address(env, buffers, 8 * l + 3);
        layers[l].row_start = address(env, buffers, 8 * l + 4);
        layers[l].column = address(env, buffers, 8 * l + 5);
        layers[l].mask = address(env, buffers, 8 * l + 6);
        layers[l].weight_grad = address(env, buffers, 8 * l + 7);
        if (layers[l].row_start == NULL && (sgemm == NULL || layers[l].weight_grad == NULL)) {
            return; /* the Java side never asks for this: a dense layer needs the BLAS and its gradient buffer */
        }
    }
    float *work = (*env)->GetDirectBufferAddress(env, scratch);
    /* activation[0] = input, transposed; activation[l + 1] = layer l's output (after ReLU but for the last). */
    float *activation[64];
    activation[0] = work;
    float *next = work + (int64_t) width[0] * batch;
    for (int l = 0; l < n; l++) {
        activation[l + 1] = next;
        next += (int64_t) width[l + 1] * batch;
    }
    int widest = 0;
    for (int l = 1; l < n; l++) {
        widest = width[l] > widest ? width[l] : widest;
    }
    float *grad_a = next;                               /* the gradient at a hidden layer's input */
    float *grad_b = grad_a + (int64_t) widest * batch;  /* ... and the one being consumed */
    /* A dense first layer reads the batch as it is; a sparse one needs it feature-major. */
    const float *batch_in = (const float *) (*env)->GetDirectBufferAddress(env, input);
    int first_dense = layers[0].row_start == NULL;
    if (!first_dense) {
        transpose(batch_in, activation[0], batch, width[0]);
    }
    for (int l = 0; l < n; l++) {
        if (layers[l].row_start == NULL) {
            int raw = l == 0;
            dense_forward(&layers[l], raw ? batch_in : activation[l], raw, activation[l + 1], batch);
        } else {
            forward(&layers[l], activation[l], activation[l + 1], batch);
        }
        if (l < n - 1) {
            relu(activation[l + 1], (int64_t) width[l + 1] * batch);
        }
    }
    int64_t correct;
    double *out = (*env)->GetDirectBufferAddress(env, result);
    out[0] = softmax_cross_entropy(activation[n], (const int64_t *) (*env)->GetDirectBufferAddress(env, labels),
                                   width[n], batch, &correct);
    out[1] = (double) correct;
    if (isnan(out[0])) {
        return; /* a label outside the classes: no update from this batch */
    }
    /* activation[n] now holds the logits' gradient. */
    const float *delta = activation[n];
    for (int l = n - 1; l >= 0; l--) {
        float *in_grad = l > 0 ? grad_a : NULL;
        if (layers[l].row_start == NULL) {
            int raw = l == 0;
            dense_backward_and_update(&layers[l], delta, raw ? batch_in : activation[l], raw, in_grad, batch, lr,
                                      momentum, weight_decay, nesterov);
        } else {
            backward_and_update(&layers[l], delta, activation[l], in_grad, batch, lr, momentum, weight_decay, nesterov);
        }
        if (l > 0) {
            /* Through the ReLU: the gradient passes where the activation (= its output) is positive. */
            const float *a = activation[l];
            int64_t size = (int64_t) width[l] * batch;
            for (int64_t k = 0; k < size; k++) {
                in_grad[k] = a[k] > 0.0f ? in_grad[k] : 0.0f;
            }
            delta = in_grad;
            float *swap = grad_a;
            grad_a = grad_b;
            grad_b = swap;
        }
    }
}
