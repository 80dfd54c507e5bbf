//===- sgemm_bench.cpp - kiln_cpu_sgemm throughput ------------------------===//
//
// Part of Kiln. Prints GFLOP/s of square SGEMMs (C = A * B, 2*n^3 flops)
// for every microkernel this CPU supports, single-threaded and with the
// default thread count, and the fraction of an estimated single-core peak:
//
//   peak = floats per FMA x 2 flops x FMA pipes x clock,
//
// with 2 FMA pipes (Haswell and later, Zen 2 and later; most AArch64 cores).
// Two clocks: the nominal one from /proc/cpuinfo's "cpu MHz" (in VMs and
// with turbo the core often runs faster, so ratios can pass 100%), and one
// measured by timing a chain of dependent integer adds (one per cycle), which
// is what the ratio columns use. Multi-threaded ratios are against threads x
// the single-core peak.
//
// Usage: kiln-sgemm-bench [max-size]
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime.h"
#include "runtime/cpu/Sgemm.h"
#include "runtime/cpu/ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace kiln::cpu;

namespace {
constexpr int kFmaPipes = 2;
} // namespace

/// MHz from /proc/cpuinfo ("cpu MHz" on x86, absent on some AArch64), else
/// cpufreq's maximum, else 0.
static double readClockMHz() {
  double mhz = 0;
  if (FILE *file = fopen("/proc/cpuinfo", "r")) {
    char line[512];
    while (fgets(line, sizeof(line), file))
      if (strncmp(line, "cpu MHz", 7) == 0)
        if (const char *colon = strchr(line, ':')) {
          mhz = atof(colon + 1);
          break;
        }
    fclose(file);
  }
  if (mhz > 0)
    return mhz;
  if (FILE *file =
          fopen("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "r")) {
    double khz = 0;
    if (fscanf(file, "%lf", &khz) == 1)
      mhz = khz / 1000;
    fclose(file);
  }
  return mhz;
}

/// Cycles per second of this core, from a chain of dependent adds (one per
/// cycle on every out-of-order core); 0 where not implemented.
static double measureClockMHz() {
  using Clock = std::chrono::steady_clock;
  double best = 0;
  for (int trial = 0; trial < 3; ++trial) {
    uint64_t value = 0, count = 20000000; // 8 adds each
    auto start = Clock::now();
#if defined(__x86_64__)
    asm volatile("1:\n\t"
                 "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                 "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                 "dec %1\n\tjnz 1b"
                 : "+r"(value), "+r"(count));
#elif defined(__aarch64__)
    asm volatile("1:\n\t"
                 "add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t"
                 "add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t"
                 "add %0, %0, #1\n\tadd %0, %0, #1\n\t"
                 "subs %1, %1, #1\n\tb.ne 1b"
                 : "+r"(value), "+r"(count)
                 :
                 : "cc");
#else
    return 0;
#endif
    double seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    best = std::max(best, value / seconds * 1e-6);
  }
  return best;
}

/// Best GFLOP/s over a few timed batches of at least 0.1 s each.
static double measure(const SgemmKernel &kernel, int64_t n,
                      std::vector<float> &a, std::vector<float> &b,
                      std::vector<float> &c) {
  auto run = [&] {
    sgemm(kernel, false, false, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f,
          c.data(), n);
  };
  using Clock = std::chrono::steady_clock;
  run(); // warm up caches, pool and packing buffers
  double best = 0;
  for (int batch = 0; batch < 3; ++batch) {
    int64_t reps = 0;
    auto start = Clock::now();
    double seconds = 0;
    do {
      run();
      ++reps;
      seconds = std::chrono::duration<double>(Clock::now() - start).count();
    } while (seconds < 0.1);
    best = std::max(best, 2.0 * n * n * n * reps / seconds * 1e-9);
  }
  return best;
}

int main(int argc, char **argv) {
  int64_t maxSize = argc > 1 ? atoll(argv[1]) : 1024;
  double nominalMHz = readClockMHz(), mhz = measureClockMHz();
  if (mhz <= 0)
    mhz = nominalMHz;
  int threads = kiln_get_num_threads();
  std::vector<const SgemmKernel *> kernels = {&getGenericSgemmKernel()};
  for (const SgemmKernel *kernel : {getAvx2SgemmKernel(), getNeonSgemmKernel()})
    if (kernel)
      kernels.push_back(kernel);

  printf("clock: %.0f MHz nominal (/proc/cpuinfo), %.0f MHz measured; %d FMA "
         "pipes assumed; %d threads; dispatch picks '%s'\n",
         nominalMHz, mhz, kFmaPipes, threads, getBestSgemmKernel().name);
  for (const SgemmKernel *kernel : kernels) {
    double peak = kernel->simdFloats * 2.0 * kFmaPipes * mhz * 1e-3;
    double nominalPeak =
        kernel->simdFloats * 2.0 * kFmaPipes * nominalMHz * 1e-3;
    printf("\nkernel %s (%dx%d): single-core peak %.1f GFLOP/s at the measured "
           "clock, %.1f at the nominal one\n",
           kernel->name, kernel->mr, kernel->nr, peak, nominalPeak);
    printf("%6s %12s %8s %12s %8s\n", "n", "1 thread", "of peak", "threads",
           "of peak");
    for (int64_t n : {64, 128, 192, 256, 384, 512, 768, 1024}) {
      if (n > maxSize)
        break;
      std::vector<float> a(n * n), b(n * n), c(n * n);
      for (int64_t i = 0; i < n * n; ++i) {
        a[i] = static_cast<float>((i * 7) % 13) / 13.0f - 0.5f;
        b[i] = static_cast<float>((i * 5) % 11) / 11.0f - 0.5f;
      }
      kiln_set_num_threads(1);
      double single = measure(*kernel, n, a, b, c);
      kiln_set_num_threads(threads);
      double multi = measure(*kernel, n, a, b, c);
      printf("%6lld %12.1f %7.0f%% %12.1f %7.0f%%\n", (long long)n, single,
             peak > 0 ? 100 * single / peak : 0.0, multi,
             peak > 0 ? 100 * multi / (peak * threads) : 0.0);
    }
  }
  return 0;
}
