//===- Header.h - The C header of a compiled model --------------*- C++ -*-===//
//
// Part of Kiln. Generates `<name>.h`: the typed entry point, the workspace
// size and the model info, documented with the model's inputs and outputs.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CODEGEN_HEADER_H
#define COMPILER_CODEGEN_HEADER_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::kiln {

/// The C-visible description of a compiled model.
struct ModelSignature {
  struct Tensor {
    std::string name;
    Type elementType;
    std::vector<int64_t> shape;
  };
  std::string name;
  std::vector<Tensor> inputs, outputs;
  int64_t workspaceSize = 0;
};

/// Reads the signature from a module with one kiln_rt.entry_point whose
/// function is bufferized and memory-planned.
FailureOr<ModelSignature> getModelSignature(ModuleOp module);

/// The text of `<name>.h`. `source` names the model file in the comment.
std::string generateHeader(const ModelSignature &signature, StringRef source);

} // namespace mlir::kiln

#endif // COMPILER_CODEGEN_HEADER_H
