//===- Patterns.h - Shared helpers of the kiln to linalg lowering -*- C++ -*-//
//
// Part of Kiln. Internal to compiler/conversion/KilnToLinalg: the pattern
// groups (one per file) and the IR-building helpers they share.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CONVERSION_KILNTOLINALG_PATTERNS_H
#define COMPILER_CONVERSION_KILNTOLINALG_PATTERNS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::kiln {

//===----------------------------------------------------------------------===//
// Pattern groups
//===----------------------------------------------------------------------===//

void populateConstantLoweringPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns);
void populateElementwiseLoweringPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns);
void populateMatmulLoweringPatterns(const TypeConverter &converter,
                                    RewritePatternSet &patterns);
void populateDataMovementLoweringPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);
void populateReductionLoweringPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns);
void populateNormalizationLoweringPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns);
void populateConvPoolLoweringPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns);

//===----------------------------------------------------------------------===//
// Element kinds
//===----------------------------------------------------------------------===//

/// How arithmetic treats a kiln element type. Kiln follows ONNX: signless
/// integers are signed, `ui*` are unsigned and `i1` is a boolean (0 or 1, so
/// it compares and extends as unsigned).
enum class ElementKind { Float, Signed, Unsigned, Bool, Other };

/// The kind of a kiln element type (or of a tensor type's elements).
ElementKind getElementKind(Type type);

/// True for the kinds whose integer ops are the unsigned variants.
inline bool isUnsignedLike(ElementKind kind) {
  return kind == ElementKind::Unsigned || kind == ElementKind::Bool;
}

/// True when every operand and result of `op` is a statically shaped tensor.
bool hasStaticTensorTypes(Operation *op);

/// The converted (signless) type of `value`'s kiln tensor type.
RankedTensorType convertTensorType(const TypeConverter &converter, Type type);

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

/// A scalar attribute of `elementType` holding `value` (converted for floats;
/// for integers `value` must be integral and is truncated to the width).
TypedAttr getScalarAttr(Type elementType, double value);

/// The identity of `max` for `kind`: -inf for floats (the most negative
/// finite value for formats without infinity), the minimum for integers.
TypedAttr getLowestAttr(Type elementType, ElementKind kind);

/// `arith.constant` of a scalar.
Value createScalar(OpBuilder &b, Location loc, TypedAttr value);

/// `tensor.empty` of a static type.
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type);

/// `linalg.fill` of a fresh tensor with a scalar.
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   TypedAttr value);

/// `arith.constant` of a splat tensor.
Value createSplatConstant(OpBuilder &b, Location loc, RankedTensorType type,
                          TypedAttr value);

/// The numpy-broadcasting indexing map that reads an operand of
/// `operandShape` inside loops over `resultShape`: operand dimensions are
/// right-aligned with the loops, and a size-1 dimension that the result
/// broadcasts reads index 0.
AffineMap getBroadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operandShape,
                          ArrayRef<int64_t> resultShape);

/// The map `(d0, ..., dn) -> (d0, ..., dn)` minus the loops in `dropped`.
AffineMap getProjectionMap(MLIRContext *ctx, int64_t rank,
                           ArrayRef<int64_t> dropped);

using ScalarBodyBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// A parallel `linalg.generic` producing `resultType` from `inputs`, each
/// read through its numpy-broadcasting map; `body` gets the input scalars
/// and returns the result scalar.
Value createElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                        ValueRange inputs, ScalarBodyBuilder body);

/// A parallel `linalg.generic` with explicit input maps (the output map is
/// the identity).
Value createMappedGeneric(OpBuilder &b, Location loc,
                          RankedTensorType resultType, ValueRange inputs,
                          ArrayRef<AffineMap> inputMaps,
                          ScalarBodyBuilder body);

using CombineBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, Value element, Value acc)>;

/// `linalg.reduce` of `input` over the sorted dimensions `dims` into a fresh
/// tensor filled with `identity`; `combine` folds one element into the
/// accumulator. The result drops the reduced dimensions.
Value createReduction(OpBuilder &b, Location loc, Value input,
                      ArrayRef<int64_t> dims, TypedAttr identity,
                      CombineBuilder combine);

/// Reshapes a statically shaped tensor to `type` (same element count) with
/// `tensor.collapse_shape` and/or `tensor.expand_shape`, which bufferize to
/// views: a single collapse or expand when the shapes allow one, otherwise
/// a collapse to 1-D followed by an expand.
Value reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType type);

/// Per-element arithmetic on scalars of the given kind.
Value createAdd(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                Value rhs);
Value createMul(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                Value rhs);
/// `max`/`min` that propagate NaN for floats (as ONNX and numpy do).
Value createMax(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                Value rhs);
Value createMin(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                Value rhs);

/// Static int64 list as an `i64` tensor attribute (strides, dilations of
/// linalg convolution and pooling ops).
DenseIntElementsAttr getI64TensorAttr(OpBuilder &b, ArrayRef<int64_t> values);

} // namespace mlir::kiln

#endif // COMPILER_CONVERSION_KILNTOLINALG_PATTERNS_H
