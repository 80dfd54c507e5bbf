//===- OnnxImporter.h - ONNX to the kiln dialect ----------------*- C++ -*-===//
//
// Part of Kiln. Imports an ONNX model into one `func.func @main` of kiln ops.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_ONNXIMPORTER_H
#define COMPILER_FRONTENDS_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir::kiln::onnx {

class OnnxModel;

/// The value a graph input is bound to at compile time (`--bind-input`).
struct BoundInput {
  int32_t dataType = 0; ///< ONNX TensorProto data type
  llvm::SmallVector<int64_t> shape;
  /// Little-endian, row-major elements.
  std::vector<char> data;
};

/// How graph inputs get static shapes: symbolic (`dim_param`) or unknown
/// dimensions pinned, or whole inputs bound to known values.
struct ImportOptions {
  /// Whole shapes of graph inputs, by input name (`--input-shape`).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Values of symbolic dimensions, by `dim_param` name (`--dim`).
  llvm::StringMap<int64_t> dimValues;
  /// Inputs that become constants, by name: for models that take shapes,
  /// axes or other operands that must be known at compile time as inputs.
  /// They leave the compiled signature.
  llvm::StringMap<BoundInput> boundInputs;
  /// Code generation needs static shapes: report every graph input
  /// dimension that is still unknown after the two maps above, by name.
  bool requireStaticInputShapes = false;
};

/// Parses `NAME=D0xD1x...` (a scalar: `NAME=`) into `options.inputShapes`.
llvm::Error parseInputShapeOption(llvm::StringRef text, ImportOptions &options);

/// Parses `DIM_PARAM=N` into `options.dimValues`.
llvm::Error parseDimOption(llvm::StringRef text, ImportOptions &options);

/// Imports `model`. Problems are reported through the context's diagnostic
/// engine, located at the offending node (a FusedLoc whose metadata is the
/// ONNX op type, around a NameLoc with the node name over the file); the
/// result is then null. Unsupported operators are reported together in one
/// diagnostic before anything is imported.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModel(mlir::MLIRContext &context, const OnnxModel &model,
                const ImportOptions &options = {});

/// Loads `path` and imports it; load errors are reported at the file.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxFile(mlir::MLIRContext &context, llvm::StringRef path,
               const ImportOptions &options = {});

/// The phrase every "valid ONNX, but not supported by Kiln" diagnostic
/// starts with (operators, operator configurations, data types, value
/// kinds); tools and the conformance runner match on it.
inline constexpr llvm::StringLiteral kUnsupportedPrefix = "unsupported ONNX";

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_ONNXIMPORTER_H
