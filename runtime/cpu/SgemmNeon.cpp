//===- SgemmNeon.cpp - AArch64 Advanced SIMD SGEMM microkernel ------------===//
//
// Part of Kiln. An 8 x 12 tile: 24 q-register accumulators, 2 for a column
// of A and 3 for a row of B, out of 32; lane-indexed FMAs avoid broadcasts.
// Advanced SIMD is part of the AArch64 baseline, so no dispatch is needed.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Sgemm.h"

#ifdef __aarch64__
#include <arm_neon.h>

using namespace kiln::cpu;

namespace {
constexpr int kMR = 8, kNR = 12;
} // namespace

static void neonMicrokernel(int64_t kc, float alpha, const float *a,
                            const float *b, float beta, float *c, int64_t ldc) {
  float32x4_t acc[kMR][3];
  for (int i = 0; i < kMR; ++i)
    for (int j = 0; j < 3; ++j)
      acc[i][j] = vdupq_n_f32(0.0f);
  for (int64_t p = 0; p < kc; ++p, a += kMR, b += kNR) {
    float32x4_t a0 = vld1q_f32(a), a1 = vld1q_f32(a + 4);
    float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8);
#define KILN_NEON_ROW(I, A, LANE)                                              \
  acc[I][0] = vfmaq_laneq_f32(acc[I][0], b0, A, LANE);                         \
  acc[I][1] = vfmaq_laneq_f32(acc[I][1], b1, A, LANE);                         \
  acc[I][2] = vfmaq_laneq_f32(acc[I][2], b2, A, LANE);
    KILN_NEON_ROW(0, a0, 0)
    KILN_NEON_ROW(1, a0, 1)
    KILN_NEON_ROW(2, a0, 2)
    KILN_NEON_ROW(3, a0, 3)
    KILN_NEON_ROW(4, a1, 0)
    KILN_NEON_ROW(5, a1, 1)
    KILN_NEON_ROW(6, a1, 2)
    KILN_NEON_ROW(7, a1, 3)
#undef KILN_NEON_ROW
  }
  for (int i = 0; i < kMR; ++i, c += ldc) {
    for (int j = 0; j < 3; ++j) {
      float32x4_t value = vmulq_n_f32(acc[i][j], alpha);
      if (beta != 0.0f)
        value = vfmaq_n_f32(value, vld1q_f32(c + 4 * j), beta);
      vst1q_f32(c + 4 * j, value);
    }
  }
}

const SgemmKernel *kiln::cpu::getNeonSgemmKernel() {
  static const SgemmKernel kernel = {"neon",      neonMicrokernel, kMR,
                                     kNR,         /*mc=*/128,      /*kc=*/256,
                                     /*nc=*/3072, /*simdFloats=*/4};
  return &kernel;
}

#else

const kiln::cpu::SgemmKernel *kiln::cpu::getNeonSgemmKernel() {
  return nullptr;
}

#endif
