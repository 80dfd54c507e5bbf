//===- Reductions.cpp - Lower kiln reductions -----------------------------===//
//
// Part of Kiln. reduce_sum / reduce_max -> linalg.reduce (identity 0 /
// -inf or the integer minimum), reduce_mean -> sum, then a division by the
// number of reduced elements; keep_dims re-inserts the size-1 dimensions
// with tensor.expand_shape. Integer means accumulate in i64 so that the
// sum cannot overflow the element type, and truncate toward zero.
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
    constexpr bool isMean = std::is_same_v<OpTy, ReduceMeanOp>;
    Value reduced;
    if (isMean && kind != ElementKind::Float) {
      reduced = buildIntegerMean(rewriter, loc, kind, input, axes, count);
    } else {
      TypedAttr identity = isMax ? getLowestAttr(elementType, kind)
                                 : rewriter.getZeroAttr(elementType);
      reduced =
          createReduction(rewriter, loc, input, axes, identity,
                          [&](OpBuilder &b, Location l, Value x, Value acc) {
                            return isMax ? createMax(b, l, kind, x, acc)
                                         : createAdd(b, l, kind, x, acc);
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

} // namespace

void kiln::populateReductionLoweringPatterns(const TypeConverter &converter,
                                             RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp>, ReduceLowering<ReduceMeanOp>,
               ReduceLowering<ReduceMaxOp>>(converter, patterns.getContext());
}
