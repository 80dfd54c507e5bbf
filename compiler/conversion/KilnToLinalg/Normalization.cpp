//===- Normalization.cpp - Lower kiln softmax and batch_norm --------------===//
//
// Part of Kiln. softmax -> max-reduce, exp(x - max), sum-reduce, divide
// (numerically stable; f16 and bf16 compute all but the maximum in f32);
// batch_norm (inference) -> one linalg.generic computing (x - mean) * (scale /
// sqrt(var + eps)) + bias with the 1-D parameters broadcast along dimension 1.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    int64_t axis = op.getAxis(), rank = type.getRank();
    // Reduced operands are read through the map that skips the axis.
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap skipAxis = getProjectionMap(ctx, rank, {axis});

    Value max =
        createReduction(rewriter, loc, input, {axis},
                        getLowestAttr(elementType, ElementKind::Float),
                        [](OpBuilder &b, Location l, Value x, Value acc) {
                          return createMax(b, l, ElementKind::Float, x, acc);
                        });
    // Formats narrower than f32 (f16, bf16) exponentiate, sum and divide in
    // f32 and round once at the end.
    bool widen = elementType.getIntOrFloatBitWidth() < 32;
    Type computeType = widen ? rewriter.getF32Type() : elementType;
    auto extend = [&](OpBuilder &b, Location l, Value v) {
      return widen ? b.create<arith::ExtFOp>(l, computeType, v).getResult() : v;
    };
    Value exp = createMappedGeneric(
        rewriter, loc, type.clone(computeType), {input, max},
        {identity, skipAxis}, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = extend(b, l, args[0]);
          Value max = extend(b, l, args[1]);
          Value shifted = b.create<arith::SubFOp>(l, x, max);
          return b.create<math::ExpOp>(l, shifted);
        });
    Value sum = createReduction(
        rewriter, loc, exp, {axis}, rewriter.getZeroAttr(computeType),
        [](OpBuilder &b, Location l, Value x, Value acc) {
          return createAdd(b, l, ElementKind::Float, x, acc);
        });
    Value result = createMappedGeneric(
        rewriter, loc, type, {exp, sum}, {identity, skipAxis},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value quotient = b.create<arith::DivFOp>(l, args[0], args[1]);
          if (!widen)
            return quotient;
          return b.create<arith::TruncFOp>(l, elementType, quotient);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    MLIRContext *ctx = getContext();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    TypedAttr epsilon =
        getScalarAttr(type.getElementType(), op.getEpsilon().convertToDouble());
    Value result = createMappedGeneric(
        rewriter, op.getLoc(), type,
        {input, adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
         adaptor.getVariance()},
        {identity, channel, channel, channel, channel},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], scale = args[1], bias = args[2], mean = args[3],
                variance = args[4];
          Value shifted =
              b.create<arith::AddFOp>(l, variance, createScalar(b, l, epsilon));
          Value stddev = b.create<math::SqrtOp>(l, shifted);
          Value factor = b.create<arith::DivFOp>(l, scale, stddev);
          Value centered = b.create<arith::SubFOp>(l, x, mean);
          Value scaled = b.create<arith::MulFOp>(l, centered, factor);
          return b.create<arith::AddFOp>(l, scaled, bias);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateNormalizationLoweringPatterns(const TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering, BatchNormLowering>(converter,
                                                   patterns.getContext());
}
