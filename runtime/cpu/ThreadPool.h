//===- ThreadPool.h - The runtime's worker threads --------------*- C++ -*-===//
//
// Part of Kiln. A persistent pool behind kiln_parallel_for(): started lazily,
// shared by every caller; the calling thread always works on its own loop,
// so a caller never waits for workers that are busy elsewhere, and loops
// started from inside a loop body run serially on the thread that started
// them.
//
//===----------------------------------------------------------------------===//

#ifndef RUNTIME_CPU_THREADPOOL_H
#define RUNTIME_CPU_THREADPOOL_H

#include <cstdint>

namespace kiln::cpu {

using ParallelForFn = void (*)(void *ctx, int64_t begin, int64_t end);

/// Calls fn(ctx, begin, end) over disjoint chunks of at least `grain`
/// iterations that cover [0, n), on up to getNumThreads() threads.
void parallelFor(int64_t n, int64_t grain, ParallelForFn fn, void *ctx);

/// The number of threads a parallelFor() may use, the caller included.
int getNumThreads();

/// Sets it; n <= 0 restores the default (KILN_NUM_THREADS, else the CPUs
/// this process may run on).
void setNumThreads(int n);

/// Whether this thread is running a parallelFor() body.
bool isInParallelRegion();

} // namespace kiln::cpu

#endif // RUNTIME_CPU_THREADPOOL_H
