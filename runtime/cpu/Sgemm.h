//===- Sgemm.h - Single-precision GEMM internals ----------------*- C++ -*-===//
//
// Part of Kiln. kiln_cpu_sgemm() is BLIS-style: op(A) and op(B) are packed
// into cache-sized blocks of MR-row and NR-column micro-panels, and a
// register-blocked microkernel computes one MR x NR tile of C from them.
// Each instruction set provides a microkernel and its blocking; the driver
// (Sgemm.cpp) does the rest.
//
//===----------------------------------------------------------------------===//

#ifndef RUNTIME_CPU_SGEMM_H
#define RUNTIME_CPU_SGEMM_H

#include <cstdint>

namespace kiln::cpu {

/// C[0:MR, 0:NR] = alpha * A * B + beta * C over `kc` steps, where `a` holds
/// MR values per step and `b` NR values per step (both 64-byte aligned) and
/// C has row stride `ldc`. C is not read when beta == 0.
using SgemmMicrokernel = void (*)(int64_t kc, float alpha, const float *a,
                                  const float *b, float beta, float *c,
                                  int64_t ldc);

struct SgemmKernel {
  const char *name;
  SgemmMicrokernel microkernel;
  int mr, nr;         // register tile
  int64_t mc, kc, nc; // cache blocks; mc % mr == 0, nc % nr == 0
  int simdFloats;     // floats per FMA instruction, for peak estimates
};

/// The portable C++ kernel; always available.
const SgemmKernel &getGenericSgemmKernel();
/// AVX2 + FMA; nullptr unless built for x86-64 and supported by this CPU.
const SgemmKernel *getAvx2SgemmKernel();
/// AArch64 Advanced SIMD; nullptr unless built for AArch64.
const SgemmKernel *getNeonSgemmKernel();
/// The fastest kernel this CPU supports, chosen once.
const SgemmKernel &getBestSgemmKernel();

/// kiln_cpu_sgemm() with an explicit kernel (for tests and benchmarks).
/// Returns false, with kiln_last_error() set, for invalid arguments.
bool sgemm(const SgemmKernel &kernel, bool transA, bool transB, int64_t m,
           int64_t n, int64_t k, float alpha, const float *a, int64_t lda,
           const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

} // namespace kiln::cpu

#endif // RUNTIME_CPU_SGEMM_H
