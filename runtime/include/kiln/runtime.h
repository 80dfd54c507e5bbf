/*===- kiln/runtime.h - The Kiln runtime C API ----------------------------===*\
|*                                                                            *|
|* Part of Kiln. The C API that Kiln-generated model libraries link against   *|
|* and that programs embedding them may call. C99; no exceptions cross it.    *|
|*                                                                            *|
|* Every compiled model exports, for a model named NAME:                      *|
|*   int NAME_run(const T *input..., T *output..., void *workspace);          *|
|*   size_t NAME_workspace_size(void);                                        *|
|*   const kiln_model_info *NAME_info(void);                                  *|
|* Generic loaders (such as `kiln run`) use kiln_model_run() with the info.  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_H
#define KILN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of kiln_model_info's layout; generated code stores it. */
#define KILN_ABI_VERSION 1

/* Workspaces must be aligned to this many bytes. */
#define KILN_WORKSPACE_ALIGNMENT 64

/* Status codes returned by NAME_run() and kiln_model_run(). On failure,
 * kiln_last_error() describes the problem. */
typedef enum kiln_status {
  KILN_OK = 0,
  KILN_ERROR_NULL_POINTER = 1, /* an input, output or workspace is NULL */
  KILN_ERROR_WORKSPACE_TOO_SMALL = 2,
  KILN_ERROR_MISALIGNED = 3,       /* workspace not KILN_WORKSPACE_ALIGNMENT */
  KILN_ERROR_INVALID_ARGUMENT = 4, /* e.g. a model info of another ABI */
  KILN_ERROR_INTERNAL = 5
} kiln_status;

/* Element types, numbered as ONNX's TensorProto.DataType. Every element
 * takes kiln_dtype_size() bytes; 16- and 8-bit floats are their bit patterns
 * (uint16_t, uint8_t). The 4-bit types are NOT packed as in ONNX tensors:
 * each element takes one byte, its 4-bit code in the low nibble and the high
 * nibble zero (int4 -3 is 0x0D, float4e2m1 -0.5 is 0x09); a high nibble that
 * is not zero is undefined behaviour. */
typedef enum kiln_dtype {
  KILN_FLOAT32 = 1,
  KILN_UINT8 = 2,
  KILN_INT8 = 3,
  KILN_UINT16 = 4,
  KILN_INT16 = 5,
  KILN_INT32 = 6,
  KILN_INT64 = 7,
  KILN_BOOL = 9,
  KILN_FLOAT16 = 10,
  KILN_FLOAT64 = 11,
  KILN_UINT32 = 12,
  KILN_UINT64 = 13,
  KILN_BFLOAT16 = 16,
  KILN_FLOAT8E4M3FN = 17,   /* no infinity; NaN 0x7F/0xFF */
  KILN_FLOAT8E4M3FNUZ = 18, /* no infinity, no -0; NaN 0x80 */
  KILN_FLOAT8E5M2 = 19,     /* IEEE-like, with infinities */
  KILN_FLOAT8E5M2FNUZ = 20, /* no infinity, no -0; NaN 0x80 */
  KILN_UINT4 = 21,          /* one per byte, see above */
  KILN_INT4 = 22,           /* one per byte, two's complement nibble */
  KILN_FLOAT4E2M1 = 23      /* one per byte; no infinity, no NaN */
} kiln_dtype;

/* One input or output of a model: dense, row-major. */
typedef struct kiln_tensor_info {
  const char *name;
  int32_t dtype; /* a kiln_dtype */
  int32_t rank;
  const int64_t *shape; /* `rank` dimensions */
} kiln_tensor_info;

/* Runs the model on arrays of input and output pointers (in info order). */
typedef int (*kiln_run_fn)(const void *const *inputs, void *const *outputs,
                           void *workspace);

/* Describes a compiled model. Layout is fixed by KILN_ABI_VERSION. */
typedef struct kiln_model_info {
  uint32_t abi_version; /* KILN_ABI_VERSION */
  int32_t num_inputs;
  int32_t num_outputs;
  uint32_t reserved; /* zero */
  const char *name;
  const kiln_tensor_info *inputs;
  const kiln_tensor_info *outputs;
  uint64_t workspace_size;      /* bytes */
  uint64_t workspace_alignment; /* bytes, a power of two */
  kiln_run_fn run;
} kiln_model_info;

/* The message of the last failure on this thread ("" if none). The pointer
 * stays valid until the next failing call on this thread. */
const char *kiln_last_error(void);

/* Records the message kiln_last_error() returns; generated code calls it. */
void kiln_set_last_error(const char *message);

/* Checks every pointer, the workspace size and alignment, then runs the
 * model. `workspace` may be NULL when the model needs none. */
int kiln_model_run(const kiln_model_info *model, const void *const *inputs,
                   void *const *outputs, void *workspace,
                   size_t workspace_size);

/* Bytes per element of a kiln_dtype (0 when unknown). */
size_t kiln_dtype_size(int32_t dtype);

/* Bytes of a dense tensor described by `info`. */
size_t kiln_tensor_byte_size(const kiln_tensor_info *info);

/* An allocation aligned to `alignment` (a power of two), or NULL. Free it
 * with kiln_aligned_free(). */
void *kiln_aligned_alloc(size_t size, size_t alignment);
void kiln_aligned_free(void *pointer);

/* Threads used by kernels. The default is the KILN_NUM_THREADS environment
 * variable when set, else the number of online CPUs. n <= 0 restores the
 * default. */
void kiln_set_num_threads(int n);
int kiln_get_num_threads(void);

/* Calls fn(ctx, begin, end) over disjoint chunks covering [0, n), of at
 * least `grain` iterations each, on the runtime's thread pool; returns when
 * all are done. Safe to call from several threads at once. */
void kiln_parallel_for(int64_t n, int64_t grain,
                       void (*fn)(void *ctx, int64_t begin, int64_t end),
                       void *ctx);

/* Single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, row-major,
 * op(X) = X or X^T per trans_a/trans_b. Threaded with kiln_parallel_for. */
void kiln_cpu_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                    float alpha, const float *a, int64_t lda, const float *b,
                    int64_t ldb, float beta, float *c, int64_t ldc);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_H */
