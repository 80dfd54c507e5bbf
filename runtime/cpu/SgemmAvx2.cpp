//===- SgemmAvx2.cpp - AVX2 + FMA SGEMM microkernel -----------------------===//
//
// Part of Kiln. A 6 x 16 tile: 12 ymm accumulators, 2 for a row of B and 1
// for a broadcast element of A, out of 16. Compiled for AVX2 with a target
// attribute, so the rest of the runtime keeps the baseline ISA and this runs
// only where __builtin_cpu_supports says it may.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Sgemm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

using namespace kiln::cpu;

#define KILN_AVX2 __attribute__((target("avx2,fma")))

namespace {
constexpr int kMR = 6, kNR = 16;
} // namespace

KILN_AVX2 static inline void storeRow(float *c, __m256 lo, __m256 hi,
                                      __m256 alpha, float beta) {
  lo = _mm256_mul_ps(lo, alpha);
  hi = _mm256_mul_ps(hi, alpha);
  if (beta != 0.0f) {
    __m256 vbeta = _mm256_set1_ps(beta);
    lo = _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(c), lo);
    hi = _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(c + 8), hi);
  }
  _mm256_storeu_ps(c, lo);
  _mm256_storeu_ps(c + 8, hi);
}

KILN_AVX2 static void avx2Microkernel(int64_t kc, float alpha, const float *a,
                                      const float *b, float beta, float *c,
                                      int64_t ldc) {
  // C is needed only at the end: start fetching it now.
  for (int i = 0; i < kMR; ++i) {
    _mm_prefetch(reinterpret_cast<const char *>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char *>(c + i * ldc + kNR - 1),
                 _MM_HINT_T0);
  }
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
#pragma GCC unroll 4
  for (int64_t p = 0; p < kc; ++p) {
    __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 ai = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(ai, b0, c00);
    c01 = _mm256_fmadd_ps(ai, b1, c01);
    ai = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(ai, b0, c10);
    c11 = _mm256_fmadd_ps(ai, b1, c11);
    ai = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(ai, b0, c20);
    c21 = _mm256_fmadd_ps(ai, b1, c21);
    ai = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(ai, b0, c30);
    c31 = _mm256_fmadd_ps(ai, b1, c31);
    ai = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(ai, b0, c40);
    c41 = _mm256_fmadd_ps(ai, b1, c41);
    ai = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(ai, b0, c50);
    c51 = _mm256_fmadd_ps(ai, b1, c51);
    a += kMR;
    b += kNR;
  }
  __m256 valpha = _mm256_set1_ps(alpha);
  storeRow(c + 0 * ldc, c00, c01, valpha, beta);
  storeRow(c + 1 * ldc, c10, c11, valpha, beta);
  storeRow(c + 2 * ldc, c20, c21, valpha, beta);
  storeRow(c + 3 * ldc, c30, c31, valpha, beta);
  storeRow(c + 4 * ldc, c40, c41, valpha, beta);
  storeRow(c + 5 * ldc, c50, c51, valpha, beta);
}

const SgemmKernel *kiln::cpu::getAvx2SgemmKernel() {
  // MC x KC of A (120 KiB) stays in L2, KC x NR of B (16 KiB) in L1.
  static const SgemmKernel kernel = {"avx2",      avx2Microkernel, kMR,
                                     kNR,         /*mc=*/120,      /*kc=*/256,
                                     /*nc=*/3072, /*simdFloats=*/8};
  // Cheap enough to ask every time (a static would need a guard variable).
  __builtin_cpu_init();
  bool supported =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return supported ? &kernel : nullptr;
}

#else

const kiln::cpu::SgemmKernel *kiln::cpu::getAvx2SgemmKernel() {
  return nullptr;
}

#endif
