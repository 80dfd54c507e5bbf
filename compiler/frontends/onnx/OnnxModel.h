//===- OnnxModel.h - Loading untrusted ONNX model files --------*- C++ -*-===//
//
// Part of Kiln. Parses an .onnx file with libprotobuf and reads tensor data
// (inline or external) into plain bytes. Model files are untrusted: every
// size, offset and path is checked before it is used.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_ONNXMODEL_H
#define COMPILER_FRONTENDS_ONNX_ONNXMODEL_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
class TensorProto;
class ValueInfoProto;
} // namespace onnx

namespace mlir::kiln::onnx {

/// Largest dimension accepted anywhere in a model (2^40): larger values are
/// corrupt or hostile, not real tensors.
inline constexpr int64_t kMaxDimension = int64_t(1) << 40;

/// Oldest and newest `ai.onnx` opsets whose semantics Kiln implements. Rules
/// handle the legacy forms of opsets 1-6 (attribute-style inputs and the
/// `broadcast`/`axis` attributes of arithmetic) where they differ.
inline constexpr int64_t kMinOpset = 1;
inline constexpr int64_t kMaxOpset = 22;

/// A parsed ONNX model together with the directory its external data must
/// come from.
class OnnxModel {
public:
  ~OnnxModel();

  /// Reads and parses `path`. Errors name the file and the problem.
  static llvm::Expected<std::unique_ptr<OnnxModel>> load(llvm::StringRef path);

  const ::onnx::ModelProto &proto() const { return *model; }
  /// The path as the user gave it (used in diagnostics).
  llvm::StringRef path() const { return filePath; }
  /// The canonical directory holding the model; external data may only be
  /// read from inside it.
  llvm::StringRef directory() const { return realDirectory; }
  /// The `ai.onnx` opset the model imports, or 0 when it imports none.
  int64_t opsetVersion() const { return opset; }

private:
  OnnxModel();
  std::unique_ptr<::onnx::ModelProto> model;
  std::string filePath;
  std::string realDirectory;
  int64_t opset = 0;
};

/// The MLIR element type for an ONNX `TensorProto.DataType`, or null when
/// Kiln does not support it (strings, complex numbers, 2-bit and other
/// exotic types). 8-bit floats, int4, uint4 and float4e2m1 map as
/// dialects/kiln/IR/LowPrecisionTypes.h describes; only kiln.cast computes
/// with the floats among them.
mlir::Type getElementType(mlir::MLIRContext *context, int32_t dataType);

/// Byte width of one element as Kiln stores it (bool and 4-bit types: 1), 0
/// if unsupported.
unsigned getElementByteWidth(int32_t dataType);

/// The ONNX name of a data type (`float32`, `int64`, ...) for messages.
llvm::StringRef getDataTypeName(int32_t dataType);

/// Checks the dimensions of a tensor: each in [0, kMaxDimension] and the
/// element count representable. Returns the element count.
llvm::Expected<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> dims);

/// Returns the tensor's data as little-endian bytes, one element after the
/// other at getElementByteWidth() bytes each (4-bit types, packed two to a
/// byte in ONNX, are unpacked to the low nibbles), reading external data from
/// inside the model's directory. Checks that the amount of data matches the
/// declared shape.
llvm::Expected<std::vector<char>>
readTensorData(const ::onnx::TensorProto &tensor, const OnnxModel &model);

/// The declared type of a graph input or output: element type and shape,
/// with symbolic or missing dimensions as ShapedType::kDynamic. Fails on a
/// non-tensor or unsupported type and on bad dimensions.
llvm::Expected<mlir::RankedTensorType>
getValueInfoType(mlir::MLIRContext *context,
                 const ::onnx::ValueInfoProto &info);

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_ONNXMODEL_H
