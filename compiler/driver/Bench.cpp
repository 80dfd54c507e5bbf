//===- Bench.cpp - What `kiln bench` does ---------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Bench.h"
#include "compiler/driver/Diagnostics.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace mlir::kiln;

std::string kiln::formatBenchResult(std::vector<double> milliseconds,
                                    int threads) {
  std::sort(milliseconds.begin(), milliseconds.end());
  size_t n = milliseconds.size();
  double median = n % 2 ? milliseconds[n / 2]
                        : (milliseconds[n / 2 - 1] + milliseconds[n / 2]) / 2;
  std::string line;
  llvm::raw_string_ostream os(line);
  os << llvm::format("median %.3f ms  min %.3f ms  max %.3f ms  ", median,
                     milliseconds.front(), milliseconds.back())
     << "(" << n << (n == 1 ? " iteration, " : " iterations, ") << threads
     << (threads == 1 ? " thread)" : " threads)");
  return line;
}

LogicalResult kiln::benchModel(MLIRContext &context,
                               const BenchOptions &options,
                               llvm::raw_ostream &out, llvm::raw_ostream &err) {
  ToolDiagnosticHandler diagnostics(context, err);
  if (options.iterations == 0) {
    err << "kiln: error: --iterations must be at least 1\n";
    return failure();
  }
  auto model = loadModel(context, options, err);
  if (!model)
    return reportError(model.takeError(), err);
  auto inputs = prepareInputs(**model, options, err);
  if (!inputs)
    return reportError(inputs.takeError(), err);
  auto outputs = (*model)->allocateOutputs();
  if (!outputs)
    return reportError(outputs.takeError(), err);

  for (unsigned i = 0; i < options.warmup; ++i)
    if (llvm::Error error = (*model)->run(*inputs, *outputs))
      return reportError(std::move(error), err);
  std::vector<double> milliseconds;
  milliseconds.reserve(options.iterations);
  using Clock = std::chrono::steady_clock;
  for (unsigned i = 0; i < options.iterations; ++i) {
    Clock::time_point start = Clock::now();
    llvm::Error error = (*model)->run(*inputs, *outputs);
    Clock::time_point end = Clock::now();
    if (error)
      return reportError(std::move(error), err);
    milliseconds.push_back(
        std::chrono::duration<double, std::milli>(end - start).count());
  }
  out << formatBenchResult(std::move(milliseconds), (*model)->getNumThreads())
      << "\n";
  out.flush();
  return success();
}
