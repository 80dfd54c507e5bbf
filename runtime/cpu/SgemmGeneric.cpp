//===- SgemmGeneric.cpp - Portable SGEMM microkernel ----------------------===//
//
// Part of Kiln. Plain C++ the compiler vectorizes for the baseline ISA
// (SSE2 on x86-64, Advanced SIMD on AArch64): a 4 x 8 tile of accumulators.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Sgemm.h"

using namespace kiln::cpu;

namespace {
constexpr int kMR = 4, kNR = 8;
} // namespace

static void genericMicrokernel(int64_t kc, float alpha, const float *a,
                               const float *b, float beta, float *c,
                               int64_t ldc) {
  float acc[kMR][kNR] = {};
  for (int64_t p = 0; p < kc; ++p, a += kMR, b += kNR)
    for (int i = 0; i < kMR; ++i)
      for (int j = 0; j < kNR; ++j)
        acc[i][j] += a[i] * b[j];
  for (int i = 0; i < kMR; ++i, c += ldc) {
    if (beta == 0.0f) {
      for (int j = 0; j < kNR; ++j)
        c[j] = alpha * acc[i][j];
    } else {
      for (int j = 0; j < kNR; ++j)
        c[j] = alpha * acc[i][j] + beta * c[j];
    }
  }
}

const SgemmKernel &kiln::cpu::getGenericSgemmKernel() {
  static const SgemmKernel kernel = {"generic",   genericMicrokernel, kMR, kNR,
                                     /*mc=*/128,  /*kc=*/256,
                                     /*nc=*/2048, /*simdFloats=*/4};
  return kernel;
}
