//===- Diagnostics.h - How the kiln tool reports problems -------*- C++ -*-===//
//
// Part of Kiln. Prints MLIR diagnostics in one line each, naming the model
// file and, for problems inside the graph, the ONNX node and its op type:
//
//   kiln: error: model.onnx: node 'conv1' (Conv): group 3 does not divide ...
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_DRIVER_DIAGNOSTICS_H
#define COMPILER_DRIVER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::kiln {

/// Prints diagnostics to `os` in Kiln's format while alive, and counts
/// errors.
class ToolDiagnosticHandler {
public:
  ToolDiagnosticHandler(MLIRContext &context, llvm::raw_ostream &os);
  ~ToolDiagnosticHandler();
  unsigned getNumErrors() const { return numErrors; }

private:
  void print(Diagnostic &diag);

  MLIRContext &context;
  llvm::raw_ostream &os;
  DiagnosticEngine::HandlerID id;
  unsigned numErrors = 0;
};

/// Formats where a diagnostic points: `file: node 'name' (OpType): `, or
/// `file: ` alone, or nothing for unknown locations.
std::string describeLocation(Location loc);

} // namespace mlir::kiln

#endif // COMPILER_DRIVER_DIAGNOSTICS_H
