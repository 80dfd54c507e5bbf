//===- InputShapes.h - Static shapes for symbolic graph inputs --*- C++ -*-===//
//
// Part of Kiln. Internal to the ONNX frontend.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_INPUTSHAPES_H
#define COMPILER_FRONTENDS_ONNX_INPUTSHAPES_H

#include "compiler/frontends/onnx/HostTensor.h"
#include "compiler/frontends/onnx/OnnxImporter.h"

#include "mlir/IR/BuiltinTypes.h"

#include <string>

namespace onnx {
class ValueInfoProto;
} // namespace onnx

namespace mlir::kiln::onnx {

/// Gives each graph input its type, applying ImportOptions' pinned shapes
/// and dimension values.
class InputShapeResolver {
public:
  explicit InputShapeResolver(const ImportOptions &options)
      : options(options) {}

  llvm::Expected<mlir::RankedTensorType>
  resolve(mlir::MLIRContext *context, const ::onnx::ValueInfoProto &input);

  /// The known value of an input named in ImportOptions::boundInputs, which
  /// must have the input's element type and a shape the declared one
  /// allows.
  llvm::Expected<HostTensor> bind(mlir::MLIRContext *context,
                                  const ::onnx::ValueInfoProto &input,
                                  const BoundInput &bound);

  /// Fails on an --input-shape or --dim that names no input or symbolic
  /// dimension of `inputs` (a misspelling must not be ignored).
  llvm::Error
  checkOptionNames(llvm::ArrayRef<const ::onnx::ValueInfoProto *> inputs) const;

private:
  const ImportOptions &options;
};

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_INPUTSHAPES_H
