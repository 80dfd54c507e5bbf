//===- Inspect.h - Summaries of ONNX models ---------------------*- C++ -*-===//
//
// Part of Kiln. What `kiln inspect` prints: inputs, outputs, opsets and an
// operator histogram, read straight from the protobuf without importing.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_DRIVER_INSPECT_H
#define COMPILER_DRIVER_INSPECT_H

#include "llvm/Support/raw_ostream.h"

namespace mlir::kiln::onnx {
class OnnxModel;
} // namespace mlir::kiln::onnx

namespace mlir::kiln {

/// Prints a human-readable summary of `model`.
void printModelSummary(const onnx::OnnxModel &model, llvm::raw_ostream &os);

} // namespace mlir::kiln

#endif // COMPILER_DRIVER_INSPECT_H
