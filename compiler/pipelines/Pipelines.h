//===- Pipelines.h - Kiln's pass pipelines and compiler phases --*- C++ -*-===//
//
// Part of Kiln. The phases of the compiler are named here, once, so that the
// driver can stop after any of them (`kiln compile --emit=<phase>`) and
// kiln-opt can run the same pipelines (`--kiln-graph-pipeline`,
// `--kiln-to-kiln-rt-pipeline`, `--kiln-cpu-to-llvm-pipeline`).
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_PIPELINES_PIPELINES_H
#define COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::kiln {

/// Where compilation stops, in pipeline order.
enum class Phase {
  Kiln,    ///< The imported graph in the kiln dialect, cleaned up.
  KilnRt,  ///< Bufferized, memory-planned, with the kiln_rt entry point.
  LLVMIR,  ///< LLVM IR text.
  Asm,     ///< Target assembly.
  Obj,     ///< `<name>.o`.
  Header,  ///< `<name>.h`.
  Static,  ///< `lib<name>.a`.
  Shared,  ///< `lib<name>.so`.
  Library, ///< All of `<name>.o`, `lib<name>.a`, `lib<name>.so`, `<name>.h`.
};

/// The `--emit=` spelling of a phase, and back.
llvm::StringRef getPhaseName(Phase phase);
std::optional<Phase> parsePhase(llvm::StringRef name);
/// All spellings, for help texts: "kiln, kiln_rt, ...".
std::string listPhaseNames();

/// Graph-level cleanups on the kiln dialect: folding, canonicalization and
/// common-subexpression elimination.
void buildKilnGraphPipeline(OpPassManager &pm);

/// From the kiln dialect to bufferized, memory-planned code with a
/// `kiln_rt.entry_point` named `modelName`.
void buildKilnToKilnRtPipeline(OpPassManager &pm, llvm::StringRef modelName);

/// From the kiln_rt phase to the LLVM dialect for CPUs.
void buildCpuToLLVMPipeline(OpPassManager &pm);

/// Registers the pipelines with the global pass registry (for kiln-opt).
void registerKilnPipelines();

} // namespace mlir::kiln

#endif // COMPILER_PIPELINES_PIPELINES_H
