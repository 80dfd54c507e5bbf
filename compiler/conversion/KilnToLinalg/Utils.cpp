//===- Utils.cpp - Shared helpers of the kiln to linalg lowering ----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::kiln;

ElementKind kiln::getElementKind(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  if (isa<FloatType>(type))
    return ElementKind::Float;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    if (integer.getWidth() == 1)
      return ElementKind::Bool;
    return integer.isUnsigned() ? ElementKind::Unsigned : ElementKind::Signed;
  }
  return ElementKind::Other;
}

bool kiln::hasStaticTensorTypes(Operation *op) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

RankedTensorType kiln::convertTensorType(const TypeConverter &converter,
                                         Type type) {
  return dyn_cast_or_null<RankedTensorType>(converter.convertType(type));
}

TypedAttr kiln::getScalarAttr(Type elementType, double value) {
  if (auto floatType = dyn_cast<FloatType>(elementType))
    return FloatAttr::get(floatType, value);
  auto intType = cast<IntegerType>(elementType);
  return IntegerAttr::get(intType,
                          APInt(intType.getWidth(), static_cast<int64_t>(value),
                                /*isSigned=*/true));
}

TypedAttr kiln::getLowestAttr(Type elementType, ElementKind kind) {
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
    APFloat lowest = APFloat::getInf(semantics, /*Negative=*/true);
    if (!lowest.isInfinity())
      lowest = APFloat::getLargest(semantics, /*Negative=*/true);
    return FloatAttr::get(floatType, lowest);
  }
  auto intType = cast<IntegerType>(elementType);
  unsigned width = intType.getWidth();
  return IntegerAttr::get(intType, kind == ElementKind::Signed
                                       ? APInt::getSignedMinValue(width)
                                       : APInt::getZero(width));
}

Value kiln::createScalar(OpBuilder &b, Location loc, TypedAttr value) {
  return b.create<arith::ConstantOp>(loc, value);
}

Value kiln::createEmpty(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType(),
                                   type.getEncoding());
}

Value kiln::createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                         TypedAttr value) {
  Value scalar = createScalar(b, loc, value);
  Value empty = createEmpty(b, loc, type);
  return b.create<linalg::FillOp>(loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

Value kiln::createSplatConstant(OpBuilder &b, Location loc,
                                RankedTensorType type, TypedAttr value) {
  return b.create<arith::ConstantOp>(loc, SplatElementsAttr::get(type, value));
}

AffineMap kiln::getBroadcastMap(MLIRContext *ctx,
                                ArrayRef<int64_t> operandShape,
                                ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  int64_t offset = rank - static_cast<int64_t>(operandShape.size());
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(operandShape)) {
    int64_t loop = offset + i;
    if (size == 1 && resultShape[loop] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(loop, ctx));
  }
  return AffineMap::get(rank, /*symbolCount=*/0, exprs, ctx);
}

AffineMap kiln::getProjectionMap(MLIRContext *ctx, int64_t rank,
                                 ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, /*symbolCount=*/0, exprs, ctx);
}

Value kiln::createMappedGeneric(OpBuilder &b, Location loc,
                                RankedTensorType resultType, ValueRange inputs,
                                ArrayRef<AffineMap> inputMaps,
                                ScalarBodyBuilder body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = createEmpty(b, loc, resultType);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        nested.create<linalg::YieldOp>(nestedLoc, result);
      });
  return generic.getResult(0);
}

Value kiln::createElementwise(OpBuilder &b, Location loc,
                              RankedTensorType resultType, ValueRange inputs,
                              ScalarBodyBuilder body) {
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastMap(
        b.getContext(), cast<RankedTensorType>(input.getType()).getShape(),
        resultType.getShape()));
  return createMappedGeneric(b, loc, resultType, inputs, maps, body);
}

Value kiln::createReduction(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> dims, TypedAttr identity,
                            CombineBuilder combine) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < inputType.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      shape.push_back(inputType.getDimSize(d));
  Value init = createFilled(b, loc, inputType.clone(shape), identity);
  auto reduce = b.create<linalg::ReduceOp>(
      loc, ValueRange{input}, ValueRange{init}, dims,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(
            nestedLoc, combine(nested, nestedLoc, args[0], args[1]));
      });
  return reduce->getResult(0);
}

/// The reassociation grouping all `rank` dimensions into one.
static SmallVector<ReassociationIndices> getFlatReassociation(int64_t rank) {
  ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  return {all};
}

Value kiln::reshapeTo(OpBuilder &b, Location loc, Value value,
                      RankedTensorType type) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == type)
    return value;
  int64_t sourceRank = sourceType.getRank(), rank = type.getRank();
  // A rank-0 tensor holds one element: every other dimension is 1 and the
  // reassociation is empty.
  if (rank == 0)
    return b.create<tensor::CollapseShapeOp>(loc, type, value,
                                             ArrayRef<ReassociationIndices>{});
  if (sourceRank == 0)
    return b.create<tensor::ExpandShapeOp>(loc, type, value,
                                           ArrayRef<ReassociationIndices>{});
  if (sourceRank > rank) {
    if (auto reassociation = getReassociationIndicesForCollapse(
            sourceType.getShape(), type.getShape()))
      return b.create<tensor::CollapseShapeOp>(loc, type, value,
                                               *reassociation);
  } else if (sourceRank < rank) {
    if (auto reassociation = getReassociationIndicesForCollapse(
            type.getShape(), sourceType.getShape()))
      return b.create<tensor::ExpandShapeOp>(loc, type, value, *reassociation);
  }
  // No single reshape does it: go through 1-D, still without copies.
  auto flatType = RankedTensorType::get({sourceType.getNumElements()},
                                        sourceType.getElementType());
  Value flat = value;
  if (sourceRank != 1)
    flat = b.create<tensor::CollapseShapeOp>(loc, flatType, value,
                                             getFlatReassociation(sourceRank));
  if (rank == 1)
    return flat;
  return b.create<tensor::ExpandShapeOp>(loc, type, flat,
                                         getFlatReassociation(rank));
}

Value kiln::createAdd(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                      Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::AddFOp>(loc, lhs, rhs);
  return b.create<arith::AddIOp>(loc, lhs, rhs);
}

Value kiln::createMul(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                      Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::MulFOp>(loc, lhs, rhs);
  return b.create<arith::MulIOp>(loc, lhs, rhs);
}

Value kiln::createMax(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                      Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::MaximumFOp>(loc, lhs, rhs);
  if (kind == ElementKind::Signed)
    return b.create<arith::MaxSIOp>(loc, lhs, rhs);
  return b.create<arith::MaxUIOp>(loc, lhs, rhs);
}

Value kiln::createMin(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                      Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::MinimumFOp>(loc, lhs, rhs);
  if (kind == ElementKind::Signed)
    return b.create<arith::MinSIOp>(loc, lhs, rhs);
  return b.create<arith::MinUIOp>(loc, lhs, rhs);
}

DenseIntElementsAttr kiln::getI64TensorAttr(OpBuilder &b,
                                            ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getI64Type());
  return DenseIntElementsAttr::get(type, values);
}
