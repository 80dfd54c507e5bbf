//===- Bench.h - What `kiln bench` does -------------------------*- C++ -*-===//
//
// Part of Kiln. Times a model: loads it as `kiln run` does (Run.h), runs it
// a number of warm-up iterations, then times each of the measured ones with
// a steady clock and prints one line:
//
//   median 12.345 ms  min 12.001 ms  max 13.456 ms  (100 iterations, 2 threads)
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_DRIVER_BENCH_H
#define COMPILER_DRIVER_BENCH_H

#include "compiler/driver/Run.h"

namespace mlir::kiln {

struct BenchOptions : ModelRunOptions {
  /// Timed runs; at least 1.
  unsigned iterations = 100;
  /// Untimed runs before them.
  unsigned warmup = 10;
};

/// Median, minimum and maximum of `milliseconds` (not empty), as printed.
std::string formatBenchResult(std::vector<double> milliseconds, int threads);

/// `kiln bench`. Errors are printed on `err` as `kiln: error: ...`.
LogicalResult benchModel(MLIRContext &context, const BenchOptions &options,
                         llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace mlir::kiln

#endif // COMPILER_DRIVER_BENCH_H
