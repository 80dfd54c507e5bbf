//===- Pipelines.h - Kiln's pass pipelines and compiler phases --*- C++ -*-===//
//
// Part of Kiln. The phases of the compiler are named here, once, so that the
// driver can stop after any of them (`kiln compile --emit=<phase>`) and
// kiln-opt can run the same pipelines (`--kiln-graph-pipeline`).
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_PIPELINES_PIPELINES_H
#define COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::kiln {

/// Where compilation stops. Later phases (kiln_rt, llvm-ir, obj, ...) are
/// added as the backends land.
enum class Phase {
  /// The imported graph in the kiln dialect after graph cleanups.
  Kiln,
};

/// The `--emit=` spelling of a phase, and back.
llvm::StringRef getPhaseName(Phase phase);
std::optional<Phase> parsePhase(llvm::StringRef name);

/// Graph-level cleanups on the kiln dialect: folding, canonicalization and
/// common-subexpression elimination.
void buildKilnGraphPipeline(OpPassManager &pm);

/// Registers the pipelines with the global pass registry (for kiln-opt).
void registerKilnPipelines();

} // namespace mlir::kiln

#endif // COMPILER_PIPELINES_PIPELINES_H
