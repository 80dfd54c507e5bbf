//===- Reductions.cpp - Lower kiln reductions -----------------------------===//
//
// Part of Kiln. reduce_sum / reduce_prod / reduce_max / reduce_min ->
// linalg.reduce from the identity of the operation (0, 1, -inf or the
// integer minimum, +inf or the integer maximum), so a reduction over an
// empty dimension gives that identity; reduce_mean -> sum, then a division
// by the number of reduced elements; keep_dims re-inserts the size-1
// dimensions with tensor.expand_shape. Integer means accumulate in i64 so
// that the sum cannot overflow the element type, and truncate toward zero.
// Sums, means and products of f16/bf16 accumulate in f32 and round once.
// arg_max / arg_min -> one linalg.generic reduction carrying the best value
// and its index.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <type_traits>

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The identity of `min` for `kind`: +inf for floats (the largest finite
/// value for formats without infinity), the maximum for integers.
TypedAttr getHighestAttr(Type elementType, ElementKind kind) {
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
    APFloat highest = APFloat::getInf(semantics, /*Negative=*/false);
    if (!highest.isInfinity())
      highest = APFloat::getLargest(semantics, /*Negative=*/false);
    return FloatAttr::get(floatType, highest);
  }
  auto intType = cast<IntegerType>(elementType);
  unsigned width = intType.getWidth();
  return IntegerAttr::get(intType, kind == ElementKind::Signed
                                       ? APInt::getSignedMaxValue(width)
                                       : APInt::getMaxValue(width));
}

/// Integer mean: sum widened to i64 in a linalg.generic reduction, divided
/// by `count` (a sum over nothing stays 0), truncated back.
Value buildIntegerMean(OpBuilder &b, Location loc, ElementKind kind,
                       Value input, ArrayRef<int64_t> axes, int64_t count) {
  MLIRContext *ctx = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  Type elementType = inputType.getElementType();
  Type wide = b.getI64Type();
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> shape;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced)
      shape.push_back(inputType.getDimSize(d));
  }
  auto sumType = RankedTensorType::get(shape, wide);
  Value init = createFilled(b, loc, sumType, b.getI64IntegerAttr(0));
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx),
                                 getProjectionMap(ctx, rank, axes)};
  bool isSigned = kind == ElementKind::Signed;
  unsigned width = elementType.getIntOrFloatBitWidth();
  Value sum =
      b.create<linalg::GenericOp>(
           loc, TypeRange{sumType}, ValueRange{input}, ValueRange{init}, maps,
           iterators,
           [&](OpBuilder &nb, Location nl, ValueRange args) {
             Value x = args[0];
             if (width < 64)
               x = isSigned
                       ? nb.create<arith::ExtSIOp>(nl, wide, x).getResult()
                       : nb.create<arith::ExtUIOp>(nl, wide, x).getResult();
             nb.create<linalg::YieldOp>(
                 nl, nb.create<arith::AddIOp>(nl, args[1], x).getResult());
           })
          .getResult(0);
  return createElementwise(
      b, loc, sumType.clone(elementType), {sum},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value mean = args[0];
        if (count > 0) {
          Value divisor =
              nb.create<arith::ConstantOp>(nl, nb.getI64IntegerAttr(count));
          mean = isSigned
                     ? nb.create<arith::DivSIOp>(nl, mean, divisor).getResult()
                     : nb.create<arith::DivUIOp>(nl, mean, divisor).getResult();
        }
        if (width < 64)
          mean = nb.create<arith::TruncIOp>(nl, elementType, mean);
        return mean;
      });
}

/// Sum, mean or product of a float type narrower than f32 (f16, bf16):
/// accumulated in f32 by a linalg.generic reduction, then (divided by
/// `count` for a mean and) rounded back once, so that the result does not
/// collect one rounding error per element.
Value buildWideFloatReduce(OpBuilder &b, Location loc, Value input,
                           ArrayRef<int64_t> axes, bool isProd, bool isMean,
                           int64_t count) {
  MLIRContext *ctx = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  Type elementType = inputType.getElementType();
  Type wide = b.getF32Type();
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> shape;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced)
      shape.push_back(inputType.getDimSize(d));
  }
  auto accType = RankedTensorType::get(shape, wide);
  Value init = createFilled(b, loc, accType, b.getF32FloatAttr(isProd ? 1 : 0));
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx),
                                 getProjectionMap(ctx, rank, axes)};
  Value acc =
      b.create<linalg::GenericOp>(
           loc, TypeRange{accType}, ValueRange{input}, ValueRange{init}, maps,
           iterators,
           [&](OpBuilder &nb, Location nl, ValueRange args) {
             Value x = nb.create<arith::ExtFOp>(nl, wide, args[0]);
             Value next =
                 isProd ? nb.create<arith::MulFOp>(nl, x, args[1]).getResult()
                        : nb.create<arith::AddFOp>(nl, x, args[1]).getResult();
             nb.create<linalg::YieldOp>(nl, next);
           })
          .getResult(0);
  return createElementwise(
      b, loc, accType.clone(elementType), {acc},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value value = args[0];
        // A mean over no elements is 0 / 0 = NaN, as in numpy.
        if (isMean)
          value = nb.create<arith::DivFOp>(
              nl, value,
              createScalar(nb, nl, nb.getF32FloatAttr(float(count))));
        return nb.create<arith::TruncFOp>(nl, elementType, value);
      });
}

template <typename OpTy> struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    Location loc = op.getLoc();
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    ArrayRef<int64_t> axes = op.getAxes();
    if (axes.empty()) {
      rewriter.replaceOp(op, input);
      return success();
    }
    int64_t count = 1;
    for (int64_t axis : axes)
      count *= inputType.getDimSize(axis);

    constexpr bool isMax = std::is_same_v<OpTy, ReduceMaxOp>;
    constexpr bool isMin = std::is_same_v<OpTy, ReduceMinOp>;
    constexpr bool isProd = std::is_same_v<OpTy, ReduceProdOp>;
    constexpr bool isMean = std::is_same_v<OpTy, ReduceMeanOp>;
    constexpr bool isSum = std::is_same_v<OpTy, ReduceSumOp>;
    Value reduced;
    if (isMean && kind != ElementKind::Float) {
      reduced = buildIntegerMean(rewriter, loc, kind, input, axes, count);
    } else if ((isSum || isMean || isProd) && kind == ElementKind::Float &&
               elementType.getIntOrFloatBitWidth() < 32) {
      reduced = buildWideFloatReduce(rewriter, loc, input, axes, isProd, isMean,
                                     count);
    } else {
      TypedAttr identity = isMax    ? getLowestAttr(elementType, kind)
                           : isMin  ? getHighestAttr(elementType, kind)
                           : isProd ? getScalarAttr(elementType, 1)
                                    : rewriter.getZeroAttr(elementType);
      reduced =
          createReduction(rewriter, loc, input, axes, identity,
                          [&](OpBuilder &b, Location l, Value x, Value acc) {
                            if (isMax)
                              return createMax(b, l, kind, x, acc);
                            if (isMin)
                              return createMin(b, l, kind, x, acc);
                            if (isProd)
                              return createMul(b, l, kind, x, acc);
                            return createAdd(b, l, kind, x, acc);
                          });
      if (isMean) {
        // A mean over no elements is 0 / 0 = NaN, as in numpy.
        TypedAttr divisor = getScalarAttr(elementType, count);
        reduced = createElementwise(
            rewriter, loc, cast<RankedTensorType>(reduced.getType()), {reduced},
            [&](OpBuilder &b, Location l, ValueRange args) {
              return b.create<arith::DivFOp>(l, args[0],
                                             createScalar(b, l, divisor));
            });
      }
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced, type));
    return success();
  }
};

/// arg_max / arg_min: a linalg.generic over the input whose two outputs
/// (the input without `axis`) carry the best value so far and its index.
/// The value starts at the identity of max / min, so the first element
/// always replaces it unless it ties with that identity, in which case
/// index 0 is right anyway.
template <typename OpTy> struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getInput().getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    constexpr bool isMax = std::is_same_v<OpTy, ArgMaxOp>;
    bool last = op.getSelectLastIndex();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis();

    SmallVector<int64_t> shape(inputType.getShape());
    shape.erase(shape.begin() + axis);
    auto valueType = RankedTensorType::get(shape, elementType);
    auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
    Value initValue = createFilled(rewriter, loc, valueType,
                                   isMax ? getLowestAttr(elementType, kind)
                                         : getHighestAttr(elementType, kind));
    Value initIndex =
        createFilled(rewriter, loc, indexType, rewriter.getI64IntegerAttr(0));
    AffineMap projection = getProjectionMap(ctx, rank, {axis});
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx),
                                   projection, projection};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;

    auto body = [&](OpBuilder &b, Location l, ValueRange args) {
      Value x = args[0], best = args[1], bestIndex = args[2];
      Value take;
      if (kind == ElementKind::Float) {
        arith::CmpFPredicate predicate =
            isMax
                ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                : (last ? arith::CmpFPredicate::OLE
                        : arith::CmpFPredicate::OLT);
        take = b.create<arith::CmpFOp>(l, predicate, x, best);
        // NaN beats every number: the first NaN, or the last one.
        Value xIsNaN =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, x, x);
        if (!last) {
          Value bestIsNumber =
              b.create<arith::CmpFOp>(l, arith::CmpFPredicate::ORD, best, best);
          xIsNaN = b.create<arith::AndIOp>(l, xIsNaN, bestIsNumber);
        }
        take = b.create<arith::OrIOp>(l, take, xIsNaN);
      } else {
        bool isSigned = kind == ElementKind::Signed;
        arith::CmpIPredicate predicate;
        if (isMax)
          predicate = last ? (isSigned ? arith::CmpIPredicate::sge
                                       : arith::CmpIPredicate::uge)
                           : (isSigned ? arith::CmpIPredicate::sgt
                                       : arith::CmpIPredicate::ugt);
        else
          predicate = last ? (isSigned ? arith::CmpIPredicate::sle
                                       : arith::CmpIPredicate::ule)
                           : (isSigned ? arith::CmpIPredicate::slt
                                       : arith::CmpIPredicate::ult);
        take = b.create<arith::CmpIOp>(l, predicate, x, best);
      }
      Value index = b.create<arith::IndexCastOp>(
          l, b.getI64Type(), b.create<linalg::IndexOp>(l, axis));
      Value newBest = b.create<arith::SelectOp>(l, take, x, best);
      Value newIndex = b.create<arith::SelectOp>(l, take, index, bestIndex);
      b.create<linalg::YieldOp>(l, ValueRange{newBest, newIndex});
    };
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{valueType, indexType}, ValueRange{input},
        ValueRange{initValue, initIndex}, maps, iterators, body);
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, generic.getResult(1), type));
    return success();
  }
};

} // namespace

void kiln::populateReductionLoweringPatterns(const TypeConverter &converter,
                                             RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp>, ReduceLowering<ReduceMeanOp>,
               ReduceLowering<ReduceMaxOp>, ReduceLowering<ReduceMinOp>,
               ReduceLowering<ReduceProdOp>, ArgReduceLowering<ArgMaxOp>,
               ArgReduceLowering<ArgMinOp>>(converter, patterns.getContext());
}
