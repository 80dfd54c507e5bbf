//===- OnnxImporter.h - ONNX to the kiln dialect ----------------*- C++ -*-===//
//
// Part of Kiln. Imports an ONNX model into one `func.func @main` of kiln ops.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_ONNXIMPORTER_H
#define COMPILER_FRONTENDS_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::kiln::onnx {

class OnnxModel;

/// Imports `model`. Problems are reported through the context's diagnostic
/// engine, located at the offending node (a FusedLoc whose metadata is the
/// ONNX op type, around a NameLoc with the node name over the file); the
/// result is then null. Unsupported operators are reported together in one
/// diagnostic before anything is imported.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(mlir::MLIRContext &context,
                                                  const OnnxModel &model);

/// Loads `path` and imports it; load errors are reported at the file.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(mlir::MLIRContext &context,
                                                 llvm::StringRef path);

/// The phrase every "valid ONNX, but not supported by Kiln" diagnostic
/// starts with (operators, operator configurations, data types, value
/// kinds); tools and the conformance runner match on it.
inline constexpr llvm::StringLiteral kUnsupportedPrefix = "unsupported ONNX";

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_ONNXIMPORTER_H
