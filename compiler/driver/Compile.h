//===- Compile.h - What `kiln compile` does ---------------------*- C++ -*-===//
//
// Part of Kiln. Runs the compiler from an ONNX file to the requested phase
// and writes its output files.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_DRIVER_COMPILE_H
#define COMPILER_DRIVER_COMPILE_H

#include "compiler/codegen/cpu/CpuTarget.h"
#include "compiler/frontends/onnx/OnnxImporter.h"
#include "compiler/pipelines/Pipelines.h"

#include "mlir/IR/MLIRContext.h"

#include <string>

namespace mlir::kiln {

struct CompileOptions {
  std::string inputPath;
  /// A file for single-output phases ("-" is stdout), the output directory
  /// for Phase::Library. Empty: stdout for text, the current directory else.
  std::string outputPath;
  /// C identifier prefixing the entry points; empty: from the file name.
  std::string modelName;
  Phase emit = Phase::Library;
  CpuTargetOptions target;
  /// Shapes for symbolic graph inputs (required for code generation; the
  /// kiln phase keeps symbolic dimensions as `?`).
  onnx::ImportOptions import;
  bool elideWeights = false;
  bool printLocations = false;
  /// C compiler driver used to link shared libraries; empty: `cc` for the
  /// host, `<triple>-gcc` when cross-compiling.
  std::string linker;
  /// Directory holding libkiln_runtime.a for the target; empty: next to the
  /// kiln executable (`<bin>/../lib`).
  std::string runtimeDir;
};

/// A C identifier from a model file name (`models/res-net.onnx` ->
/// `res_net`).
std::string deriveModelName(llvm::StringRef path);

/// Compiles; problems are reported through the context's diagnostics.
LogicalResult compileModel(MLIRContext &context, const CompileOptions &options);

} // namespace mlir::kiln

#endif // COMPILER_DRIVER_COMPILE_H
