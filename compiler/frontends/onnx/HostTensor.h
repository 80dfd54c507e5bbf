//===- HostTensor.h - Small constants evaluated during import ---*- C++ -*-===//
//
// Part of Kiln. Exporters compute shapes with small subgraphs
// (Shape -> Gather -> Concat -> Reshape). When every input is known the
// importer evaluates such nodes on HostTensors instead of emitting ops, so
// reshapes get static target shapes.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_HOSTTENSOR_H
#define COMPILER_FRONTENDS_ONNX_HOSTTENSOR_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace mlir::kiln::onnx {

/// Tensors with at most this many elements are kept on the host for folding.
inline constexpr int64_t kMaxHostElements = 1 << 16;

/// A small tensor with known contents. Integer and bool elements are held as
/// int64 (signed or zero-extended), float elements as double (8-bit floats
/// too: decoding them is exact). float4e2m1 (`si4`) is held as its 4-bit
/// code, sign-extended: good for moving data, not for arithmetic, so Cast
/// and CastLike do not fold it.
class HostTensor {
public:
  HostTensor(mlir::Type elementType, llvm::ArrayRef<int64_t> shape);

  /// A 1-D or scalar int64 tensor.
  static HostTensor ofInt64s(mlir::MLIRContext *context,
                             llvm::ArrayRef<int64_t> values,
                             llvm::ArrayRef<int64_t> shape);

  /// Decodes little-endian bytes laid out as OnnxModel's readTensorData()
  /// produces them; nullopt when too large to keep on the host.
  static std::optional<HostTensor> fromBytes(mlir::RankedTensorType type,
                                             llvm::ArrayRef<char> bytes);

  /// Decodes a dense attribute; nullopt when not dense or too large.
  static std::optional<HostTensor> fromAttr(mlir::DenseElementsAttr attr);

  mlir::Type getElementType() const { return elementType; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  mlir::RankedTensorType getType() const;
  bool isFloat() const { return mlir::isa<mlir::FloatType>(elementType); }
  int64_t size() const { return isFloat() ? floats.size() : ints.size(); }

  int64_t getInt(int64_t i) const {
    return isFloat() ? static_cast<int64_t>(floats[i]) : ints[i];
  }
  double getDouble(int64_t i) const {
    return isFloat() ? floats[i] : static_cast<double>(ints[i]);
  }
  /// All elements as int64 (floats truncate toward zero).
  std::vector<int64_t> toInts() const;

  /// Sets element `i` from a double, converting to the element type with
  /// ONNX Cast semantics (truncation toward zero, wrap-around for narrow
  /// integers, non-zero -> true for bool).
  void setFromDouble(int64_t i, double value);
  void setFromInt(int64_t i, int64_t value);

  /// The same elements with another shape (element count must match).
  HostTensor reshaped(llvm::ArrayRef<int64_t> newShape) const;

  mlir::DenseElementsAttr toAttr() const;

private:
  int64_t normalizeInt(int64_t value) const;

  mlir::Type elementType;
  llvm::SmallVector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;
};

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_HOSTTENSOR_H
