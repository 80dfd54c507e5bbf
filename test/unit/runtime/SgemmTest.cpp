//===- SgemmTest.cpp - kiln_cpu_sgemm against a reference
//------------------===//
//
// Part of Kiln. Every microkernel this CPU supports is checked against a
// triple loop accumulating in double, over shapes that hit edge tiles, each
// cache block boundary (KC, MC, NC), transposes, padded leading dimensions
// and the alpha/beta special cases.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Sgemm.h"
#include "kiln/runtime.h"

#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

using namespace kiln::cpu;

namespace {

/// Deterministic values in [-1, 1).
struct Lcg {
  uint64_t state;
  float next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>(state >> 40) / static_cast<float>(1 << 23) - 1;
  }
};

struct Problem {
  bool transA, transB;
  int64_t m, n, k;
  float alpha, beta;
  int64_t pad; // added to every leading dimension
};

std::vector<const SgemmKernel *> getKernels() {
  std::vector<const SgemmKernel *> kernels = {&getGenericSgemmKernel()};
  for (const SgemmKernel *kernel : {getAvx2SgemmKernel(), getNeonSgemmKernel()})
    if (kernel)
      kernels.push_back(kernel);
  return kernels;
}

/// Runs `p` with `kernel` (or kiln_cpu_sgemm when null) and checks every
/// element against the reference, within a bound on float rounding.
void checkProblem(const SgemmKernel *kernel, const Problem &p, uint64_t seed) {
  int64_t lda = (p.transA ? p.m : p.k) + p.pad;
  int64_t ldb = (p.transB ? p.k : p.n) + p.pad;
  int64_t ldc = p.n + p.pad;
  Lcg lcg{seed};
  std::vector<float> a((p.transA ? p.k : p.m) * lda),
      b((p.transB ? p.n : p.k) * ldb), c(p.m * ldc);
  for (float &x : a)
    x = lcg.next();
  for (float &x : b)
    x = lcg.next();
  for (float &x : c)
    x = lcg.next();
  std::vector<float> original = c;
  auto getA = [&](int64_t i, int64_t q) {
    return p.transA ? a[q * lda + i] : a[i * lda + q];
  };
  auto getB = [&](int64_t q, int64_t j) {
    return p.transB ? b[j * ldb + q] : b[q * ldb + j];
  };
  if (kernel)
    REQUIRE(sgemm(*kernel, p.transA, p.transB, p.m, p.n, p.k, p.alpha, a.data(),
                  lda, b.data(), ldb, p.beta, c.data(), ldc));
  else
    kiln_cpu_sgemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, a.data(), lda,
                   b.data(), ldb, p.beta, c.data(), ldc);

  int64_t failures = 0;
  for (int64_t i = 0; i < p.m; ++i) {
    for (int64_t j = 0; j < ldc; ++j) {
      float got = c[i * ldc + j];
      if (j >= p.n) { // padding is never written
        failures += got != original[i * ldc + j];
        continue;
      }
      double sum = 0, magnitude = 0;
      for (int64_t q = 0; q < p.k; ++q) {
        sum += static_cast<double>(getA(i, q)) * getB(q, j);
        magnitude += std::fabs(static_cast<double>(getA(i, q)) * getB(q, j));
      }
      double cij = original[i * ldc + j];
      double expected = p.alpha * sum + (p.beta == 0 ? 0.0 : p.beta * cij);
      double bound =
          4.0 * (p.k + 2) * FLT_EPSILON *
              (std::fabs(p.alpha) * magnitude + std::fabs(p.beta * cij)) +
          1e-30;
      if (!(std::fabs(got - expected) <= bound) && failures++ < 3)
        UNSCOPED_INFO("C[" << i << "][" << j << "] = " << got << ", expected "
                           << expected);
    }
  }
  INFO((kernel ? kernel->name : "dispatch")
       << " transA=" << p.transA << " transB=" << p.transB << " m=" << p.m
       << " n=" << p.n << " k=" << p.k << " alpha=" << p.alpha
       << " beta=" << p.beta << " pad=" << p.pad);
  CHECK(failures == 0);
}

} // namespace

TEST_CASE("sgemm matches the reference on many shapes", "[runtime][sgemm]") {
  // Tiny, prime, exact multiples of the tiles, and across KC (256), MC
  // (120/128) and NC (2048/3072).
  const int64_t shapes[][3] = {
      {1, 1, 1},    {1, 1, 7},    {2, 3, 5},      {7, 11, 13},   {6, 16, 4},
      {4, 8, 9},    {8, 12, 3},   {12, 32, 17},   {13, 1, 29},   {1, 31, 7},
      {31, 37, 41}, {64, 64, 64}, {97, 101, 103}, {37, 19, 300}, {250, 23, 9},
      {3, 3100, 5}, {2, 2, 600}};
  const float scalars[][2] = {{1, 0}, {0.5f, 2}, {-1.5f, 1}};
  uint64_t seed = 1;
  for (const SgemmKernel *kernel : getKernels()) {
    for (const auto &shape : shapes) {
      for (int trans = 0; trans < 4; ++trans) {
        for (const auto &scalar : scalars) {
          Problem p{(trans & 1) != 0, (trans & 2) != 0, shape[0],  shape[1],
                    shape[2],         scalar[0],        scalar[1], /*pad=*/0};
          checkProblem(kernel, p, seed++);
        }
        Problem padded{(trans & 1) != 0,
                       (trans & 2) != 0,
                       shape[0],
                       shape[1],
                       shape[2],
                       0.75f,
                       -0.5f,
                       /*pad=*/3};
        checkProblem(kernel, padded, seed++);
      }
    }
  }
}

TEST_CASE("kiln_cpu_sgemm dispatches to a correct kernel", "[runtime][sgemm]") {
  checkProblem(nullptr, {false, false, 67, 45, 129, 1, 0, 0}, 7);
  checkProblem(nullptr, {true, true, 19, 130, 260, -2, 0.25f, 5}, 8);
  checkProblem(nullptr, {true, false, 200, 200, 200, 1, 1, 0}, 9);
}

TEST_CASE("sgemm with beta == 0 never reads C", "[runtime][sgemm]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const SgemmKernel *kernel : getKernels()) {
    INFO(kernel->name);
    for (int64_t size : {1, 5, 16, 33, 130}) {
      std::vector<float> a(size * size, 1.0f), b(size * size, 2.0f),
          c(size * size, nan);
      REQUIRE(sgemm(*kernel, false, false, size, size, size, 0.5f, a.data(),
                    size, b.data(), size, 0.0f, c.data(), size));
      for (float x : c)
        REQUIRE(x == static_cast<float>(size));
    }
  }
  // alpha == 0 or k == 0: C = beta * C without touching A or B.
  std::vector<float> c(6, nan);
  kiln_cpu_sgemm(0, 0, 2, 3, 4, 0.0f, nullptr, 4, nullptr, 3, 0.0f, c.data(),
                 3);
  CHECK(c == std::vector<float>(6, 0.0f));
  c.assign(6, 2.0f);
  kiln_cpu_sgemm(0, 0, 2, 3, 0, 1.0f, nullptr, 1, nullptr, 3, 1.5f, c.data(),
                 3);
  CHECK(c == std::vector<float>(6, 3.0f));
}

TEST_CASE("sgemm results do not depend on the thread count",
          "[runtime][sgemm]") {
  const int64_t m = 150, n = 170, k = 300;
  Lcg lcg{42};
  std::vector<float> a(m * k), b(k * n);
  for (float &x : a)
    x = lcg.next();
  for (float &x : b)
    x = lcg.next();
  int saved = kiln_get_num_threads();
  std::vector<std::vector<float>> results;
  for (int threads : {1, 2, 3, 7}) {
    kiln_set_num_threads(threads);
    std::vector<float> c(m * n);
    kiln_cpu_sgemm(0, 0, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f,
                   c.data(), n);
    results.push_back(c);
  }
  kiln_set_num_threads(saved);
  for (const auto &c : results)
    CHECK(std::memcmp(c.data(), results[0].data(), c.size() * sizeof(float)) ==
          0);
}

TEST_CASE("sgemm rejects invalid arguments", "[runtime][sgemm]") {
  std::vector<float> a(16, 1.0f), b(16, 1.0f), c(16, 5.0f);
  const std::vector<float> untouched = c;
  kiln_set_last_error("");
  kiln_cpu_sgemm(0, 0, -1, 2, 2, 1, a.data(), 2, b.data(), 2, 0, c.data(), 2);
  CHECK(std::strstr(kiln_last_error(), "negative size") != nullptr);
  kiln_cpu_sgemm(0, 0, 4, 4, 4, 1, a.data(), 3, b.data(), 4, 0, c.data(), 4);
  CHECK(std::strstr(kiln_last_error(), "lda=3") != nullptr);
  kiln_cpu_sgemm(1, 0, 4, 2, 2, 1, a.data(), 2, b.data(), 2, 0, c.data(), 2);
  CHECK(std::strstr(kiln_last_error(), "A transposed") != nullptr);
  kiln_cpu_sgemm(0, 0, 2, 2, 2, 1, nullptr, 2, b.data(), 2, 0, c.data(), 2);
  CHECK(std::strstr(kiln_last_error(), "matrix A is NULL") != nullptr);
  CHECK(c == untouched);
  // Empty products are fine and touch nothing.
  kiln_set_last_error("");
  kiln_cpu_sgemm(0, 0, 0, 4, 4, 1, nullptr, 4, nullptr, 4, 0, nullptr, 4);
  CHECK(std::string(kiln_last_error()).empty());
}
