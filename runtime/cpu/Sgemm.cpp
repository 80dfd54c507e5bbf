//===- Sgemm.cpp - Blocked, packed, threaded SGEMM driver -----------------===//
//
// Part of Kiln.
//
// C is split into a grid of rectangles, one task each, run with
// parallelFor(). A task runs the BLIS loop nest on its rectangle with
// packing buffers of its own thread:
//
//   for jc in N by NC:            pack op(B)[pc:pc+KC, jc:jc+NC]  (L3)
//     for pc in K by KC:
//       for ic in M by MC:        pack op(A)[ic:ic+MC, pc:pc+KC]  (L2)
//         for jr in NC by NR:     micro-panel of B                (L1)
//           for ir in MC by MR:   microkernel -> C[MR x NR]
//
// beta is applied by the first KC block only, so C is never read when
// beta == 0. Every element of C sees the same sequence of operations
// whatever the grid, so results do not depend on the thread count.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Sgemm.h"
#include "runtime/cpu/Export.h"
#include "runtime/cpu/Status.h"
#include "runtime/cpu/ThreadPool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <pthread.h>

using namespace kiln::cpu;

namespace {

/// Below this many multiply-adds per task (~30 us on one AVX2 core),
/// waking a pool thread costs more than it saves.
constexpr double kMinMacsPerTask = 1 << 21;
/// Tasks per thread when there is enough work.
constexpr int64_t kTasksPerThread = 2;
/// Largest MR x NR of any kernel, for the edge-tile buffer.
constexpr int kMaxTile = 16 * 32;

struct Gemm {
  const SgemmKernel *kernel;
  bool transA, transB;
  int64_t m, n, k;
  float alpha, beta;
  const float *a, *b;
  float *c;
  int64_t lda, ldb, ldc;
  int64_t gridM, gridN; // tasks along M and N

  float getA(int64_t i, int64_t p) const {
    return transA ? a[p * lda + i] : a[i * lda + p];
  }
  float getB(int64_t p, int64_t j) const {
    return transB ? b[j * ldb + p] : b[p * ldb + j];
  }
};

/// One thread's packing buffers, kept between calls and freed when the
/// thread exits (by a pthread key rather than a thread_local destructor,
/// which would need libstdc++).
struct PackBuffers {
  float *a, *b;
  size_t aFloats, bFloats;
};
pthread_key_t packBuffersKey;
pthread_once_t packBuffersOnce = PTHREAD_ONCE_INIT;
bool havePackBuffersKey = false;

} // namespace

static void freePackBuffers(void *pointer) {
  auto *buffers = static_cast<PackBuffers *>(pointer);
  free(buffers->a);
  free(buffers->b);
  free(buffers);
}

static void createPackBuffersKey() {
  havePackBuffersKey =
      pthread_key_create(&packBuffersKey, freePackBuffers) == 0;
}

/// This thread's buffers, or nullptr when out of memory.
static PackBuffers *getPackBuffers() {
  pthread_once(&packBuffersOnce, createPackBuffersKey);
  if (!havePackBuffersKey)
    return nullptr;
  auto *buffers =
      static_cast<PackBuffers *>(pthread_getspecific(packBuffersKey));
  if (buffers)
    return buffers;
  buffers = static_cast<PackBuffers *>(calloc(1, sizeof(PackBuffers)));
  if (buffers && pthread_setspecific(packBuffersKey, buffers) != 0) {
    free(buffers);
    return nullptr;
  }
  return buffers;
}

static int64_t ceilDiv(int64_t x, int64_t y) { return (x + y - 1) / y; }

static bool reserve(float *&buffer, size_t &capacity, size_t floats) {
  if (capacity >= floats)
    return true;
  free(buffer);
  buffer = nullptr;
  capacity = 0;
  void *memory = nullptr;
  if (posix_memalign(&memory, 64, floats * sizeof(float)) != 0)
    return false;
  buffer = static_cast<float *>(memory);
  capacity = floats;
  return true;
}

/// Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row micro-panels, each kc steps of
/// MR values, zero-padded to a multiple of MR rows.
static void packA(const Gemm &g, int64_t i0, int64_t mc, int64_t p0, int64_t kc,
                  float *dst) {
  const int mr = g.kernel->mr;
  for (int64_t ir = 0; ir < mc; ir += mr, dst += mr * kc) {
    int64_t rows = std::min<int64_t>(mr, mc - ir);
    if (!g.transA) {
      for (int64_t i = 0; i < rows; ++i) {
        const float *src = g.a + (i0 + ir + i) * g.lda + p0;
        for (int64_t p = 0; p < kc; ++p)
          dst[p * mr + i] = src[p];
      }
    } else {
      for (int64_t p = 0; p < kc; ++p) {
        const float *src = g.a + (p0 + p) * g.lda + i0 + ir;
        for (int64_t i = 0; i < rows; ++i)
          dst[p * mr + i] = src[i];
      }
    }
    for (int64_t p = 0; p < kc && rows < mr; ++p)
      std::fill(dst + p * mr + rows, dst + (p + 1) * mr, 0.0f);
  }
}

/// Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column micro-panels, each kc steps
/// of NR values, zero-padded to a multiple of NR columns.
static void packB(const Gemm &g, int64_t j0, int64_t nc, int64_t p0, int64_t kc,
                  float *dst) {
  const int nr = g.kernel->nr;
  for (int64_t jr = 0; jr < nc; jr += nr, dst += nr * kc) {
    int64_t cols = std::min<int64_t>(nr, nc - jr);
    if (!g.transB) {
      for (int64_t p = 0; p < kc; ++p) {
        const float *src = g.b + (p0 + p) * g.ldb + j0 + jr;
        std::copy(src, src + cols, dst + p * nr);
      }
    } else {
      for (int64_t j = 0; j < cols; ++j) {
        const float *src = g.b + (j0 + jr + j) * g.ldb + p0;
        for (int64_t p = 0; p < kc; ++p)
          dst[p * nr + j] = src[p];
      }
    }
    for (int64_t p = 0; p < kc && cols < nr; ++p)
      std::fill(dst + p * nr + cols, dst + (p + 1) * nr, 0.0f);
  }
}

/// C[i0:i0+mc, j0:j0+nc] = alpha * packedA * packedB + beta * C.
static void macroKernel(const Gemm &g, int64_t i0, int64_t mc, int64_t j0,
                        int64_t nc, int64_t kc, float beta,
                        const float *packedA, const float *packedB) {
  const SgemmKernel &kernel = *g.kernel;
  const int mr = kernel.mr, nr = kernel.nr;
  alignas(64) float tile[kMaxTile];
  for (int64_t jr = 0; jr < nc; jr += nr) {
    int64_t cols = std::min<int64_t>(nr, nc - jr);
    const float *b = packedB + jr * kc;
    for (int64_t ir = 0; ir < mc; ir += mr) {
      int64_t rows = std::min<int64_t>(mr, mc - ir);
      const float *a = packedA + ir * kc;
      float *c = g.c + (i0 + ir) * g.ldc + j0 + jr;
      if (rows == mr && cols == nr) {
        kernel.microkernel(kc, g.alpha, a, b, beta, c, g.ldc);
        continue;
      }
      // Edge tile: compute all of it aside, then merge the valid part.
      kernel.microkernel(kc, g.alpha, a, b, 0.0f, tile, nr);
      for (int64_t i = 0; i < rows; ++i) {
        float *row = c + i * g.ldc;
        const float *value = tile + i * nr;
        for (int64_t j = 0; j < cols; ++j)
          row[j] = beta == 0.0f ? value[j] : value[j] + beta * row[j];
      }
    }
  }
}

/// Unpacked fallback for a rectangle when packing memory is unavailable.
static void naiveGemm(const Gemm &g, int64_t m0, int64_t m1, int64_t n0,
                      int64_t n1) {
  for (int64_t i = m0; i < m1; ++i) {
    for (int64_t j = n0; j < n1; ++j) {
      float sum = 0.0f;
      for (int64_t p = 0; p < g.k; ++p)
        sum += g.getA(i, p) * g.getB(p, j);
      float &c = g.c[i * g.ldc + j];
      c = g.beta == 0.0f ? g.alpha * sum : g.alpha * sum + g.beta * c;
    }
  }
}

/// Runs the blocked loop nest on C[m0:m1, n0:n1].
static void gemmRectangle(const Gemm &g, int64_t m0, int64_t m1, int64_t n0,
                          int64_t n1) {
  const SgemmKernel &kernel = *g.kernel;
  int64_t kcMax = std::min(kernel.kc, g.k);
  int64_t mcMax = std::min(kernel.mc, ceilDiv(m1 - m0, kernel.mr) * kernel.mr);
  int64_t ncMax = std::min(kernel.nc, ceilDiv(n1 - n0, kernel.nr) * kernel.nr);
  PackBuffers *buffers = getPackBuffers();
  if (!buffers || !reserve(buffers->a, buffers->aFloats, mcMax * kcMax) ||
      !reserve(buffers->b, buffers->bFloats, ncMax * kcMax))
    return naiveGemm(g, m0, m1, n0, n1);
  for (int64_t jc = n0; jc < n1; jc += kernel.nc) {
    int64_t nc = std::min(kernel.nc, n1 - jc);
    for (int64_t pc = 0; pc < g.k; pc += kernel.kc) {
      int64_t kc = std::min(kernel.kc, g.k - pc);
      packB(g, jc, nc, pc, kc, buffers->b);
      float beta = pc == 0 ? g.beta : 1.0f;
      for (int64_t ic = m0; ic < m1; ic += kernel.mc) {
        int64_t mc = std::min(kernel.mc, m1 - ic);
        packA(g, ic, mc, pc, kc, buffers->a);
        macroKernel(g, ic, mc, jc, nc, kc, beta, buffers->a, buffers->b);
      }
    }
  }
}

/// Task `t` of the grid: whole micro-tiles, spread evenly.
static void runTasks(void *ctx, int64_t begin, int64_t end) {
  const Gemm &g = *static_cast<const Gemm *>(ctx);
  const int64_t mr = g.kernel->mr, nr = g.kernel->nr;
  const int64_t tilesM = ceilDiv(g.m, mr), tilesN = ceilDiv(g.n, nr);
  for (int64_t t = begin; t < end; ++t) {
    int64_t ti = t / g.gridN, tj = t % g.gridN;
    int64_t m0 = std::min(g.m, ti * tilesM / g.gridM * mr);
    int64_t m1 = std::min(g.m, (ti + 1) * tilesM / g.gridM * mr);
    int64_t n0 = std::min(g.n, tj * tilesN / g.gridN * nr);
    int64_t n1 = std::min(g.n, (tj + 1) * tilesN / g.gridN * nr);
    if (m0 < m1 && n0 < n1)
      gemmRectangle(g, m0, m1, n0, n1);
  }
}

/// Picks gridM x gridN <= `tasks` so that the grid is as large as possible
/// and, among those, each task packs the least of A and B.
static void chooseGrid(Gemm &g, int64_t tasks) {
  const int64_t tilesM = ceilDiv(g.m, g.kernel->mr);
  const int64_t tilesN = ceilDiv(g.n, g.kernel->nr);
  g.gridM = g.gridN = 0; // the first candidate wins
  double bestCost = 0;
  for (int64_t gm = 1; gm <= std::min(tasks, tilesM); ++gm) {
    int64_t gn = std::min(tasks / gm, tilesN);
    // Rows of A plus columns of B packed per task (times k).
    double cost = static_cast<double>(ceilDiv(g.m, gm)) + ceilDiv(g.n, gn);
    if (gm * gn > g.gridM * g.gridN ||
        (gm * gn == g.gridM * g.gridN && cost < bestCost)) {
      g.gridM = gm;
      g.gridN = gn;
      bestCost = cost;
    }
  }
}

/// C = beta * C, without reading C when beta == 0.
static void scaleC(float *c, int64_t ldc, int64_t m, int64_t n, float beta) {
  if (beta == 1.0f)
    return;
  for (int64_t i = 0; i < m; ++i, c += ldc) {
    if (beta == 0.0f)
      std::fill(c, c + n, 0.0f);
    else
      for (int64_t j = 0; j < n; ++j)
        c[j] *= beta;
  }
}

bool kiln::cpu::sgemm(const SgemmKernel &kernel, bool transA, bool transB,
                      int64_t m, int64_t n, int64_t k, float alpha,
                      const float *a, int64_t lda, const float *b, int64_t ldb,
                      float beta, float *c, int64_t ldc) {
  if (m < 0 || n < 0 || k < 0) {
    setLastError("kiln_cpu_sgemm: negative size (m=%lld, n=%lld, k=%lld)",
                 (long long)m, (long long)n, (long long)k);
    return false;
  }
  if (m == 0 || n == 0)
    return true;
  int64_t colsA = transA ? m : k, colsB = transB ? k : n;
  if (lda < std::max<int64_t>(1, colsA) || ldb < std::max<int64_t>(1, colsB) ||
      ldc < n) {
    setLastError("kiln_cpu_sgemm: leading dimension too small (lda=%lld, "
                 "ldb=%lld, ldc=%lld for m=%lld, n=%lld, k=%lld%s%s)",
                 (long long)lda, (long long)ldb, (long long)ldc, (long long)m,
                 (long long)n, (long long)k, transA ? ", A transposed" : "",
                 transB ? ", B transposed" : "");
    return false;
  }
  bool usesAB = k > 0 && alpha != 0.0f;
  if (!c || (usesAB && (!a || !b))) {
    setLastError("kiln_cpu_sgemm: matrix %s is NULL",
                 !c ? "C" : (!a ? "A" : "B"));
    return false;
  }
  if (!usesAB) {
    scaleC(c, ldc, m, n, beta);
    return true;
  }
  Gemm g{&kernel, transA, transB, m,   n,   k,   alpha, beta,
         a,       b,      c,      lda, ldb, ldc, 1,     1};
  int64_t threads = isInParallelRegion() ? 1 : getNumThreads();
  double macs = static_cast<double>(m) * n * k;
  int64_t byWork = static_cast<int64_t>(
      std::min(1e9, std::max(1.0, macs / kMinMacsPerTask)));
  // A multiple of the thread count, so that equal threads finish together,
  // and more than one task each when the work allows, so that a thread
  // slowed down by other processes gets fewer.
  int64_t tasks = threads <= 1 ? 1
                  : byWork < threads
                      ? byWork
                      : threads * std::min(kTasksPerThread, byWork / threads);
  chooseGrid(g, tasks);
  parallelFor(g.gridM * g.gridN, 1, runTasks, &g);
  return true;
}

static const SgemmKernel &chooseBestKernel() {
  const SgemmKernel *avx2 = getAvx2SgemmKernel();
  const SgemmKernel *neon = getNeonSgemmKernel();
  // KILN_SGEMM_KERNEL=generic|avx2|neon picks a supported kernel by name.
  if (const char *name = getenv("KILN_SGEMM_KERNEL")) {
    for (const SgemmKernel *kernel : {avx2, neon, &getGenericSgemmKernel()})
      if (kernel && strcmp(kernel->name, name) == 0)
        return *kernel;
  }
  if (avx2)
    return *avx2;
  if (neon)
    return *neon;
  return getGenericSgemmKernel();
}

const SgemmKernel &kiln::cpu::getBestSgemmKernel() {
  // Racing first calls all compute the same answer.
  static std::atomic<const SgemmKernel *> best{nullptr};
  const SgemmKernel *kernel = best.load(std::memory_order_acquire);
  if (!kernel) {
    kernel = &chooseBestKernel();
    best.store(kernel, std::memory_order_release);
  }
  return *kernel;
}

KILN_API void kiln_cpu_sgemm(int trans_a, int trans_b, int64_t m, int64_t n,
                             int64_t k, float alpha, const float *a,
                             int64_t lda, const float *b, int64_t ldb,
                             float beta, float *c, int64_t ldc) {
  sgemm(getBestSgemmKernel(), trans_a != 0, trans_b != 0, m, n, k, alpha, a,
        lda, b, ldb, beta, c, ldc);
}
