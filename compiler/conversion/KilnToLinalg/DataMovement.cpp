//===- DataMovement.cpp - Lower kiln data movement ops --------------------===//
//
// Part of Kiln. reshape -> tensor.collapse_shape / expand_shape (views after
// bufferization), transpose -> linalg.transpose, concat -> tensor.empty +
// tensor.insert_slice, slice -> tensor.extract_slice (positive steps) or a
// linalg.generic reading `start + i * step` (negative steps), gather -> a
// linalg.generic that extracts from the data tensor.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    rewriter.replaceOp(
        op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(), type));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    ArrayRef<int64_t> permutation = op.getPermutation();
    if (llvm::equal(permutation, llvm::seq<int64_t>(0, permutation.size()))) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Value init = createEmpty(rewriter, op.getLoc(), type);
    auto transpose = rewriter.create<linalg::TransposeOp>(
        op.getLoc(), adaptor.getInput(), init, permutation);
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    ValueRange inputs = adaptor.getInputs();
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, inputs.front());
      return success();
    }
    Location loc = op.getLoc();
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    int64_t axis = op.getAxis(), rank = type.getRank();
    Value result = createEmpty(rewriter, loc, type);
    int64_t offset = 0;
    for (Value input : inputs) {
      auto inputType = cast<RankedTensorType>(input.getType());
      int64_t size = inputType.getDimSize(axis);
      if (size == 0)
        continue;
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      result = rewriter.create<tensor::InsertSliceOp>(
          loc, input, result, getAsIndexOpFoldResult(getContext(), offsets),
          getAsIndexOpFoldResult(getContext(), inputType.getShape()),
          getAsIndexOpFoldResult(getContext(), strides));
      offset += size;
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    ArrayRef<int64_t> starts = op.getStarts(), sizes = op.getSizes(),
                      steps = op.getSteps();
    // Sizes of 0 or 1 make a step irrelevant.
    auto isForward = [&](int64_t d) { return steps[d] > 0 || sizes[d] <= 1; };
    bool whole = input.getType() == type;
    for (int64_t d = 0; d < type.getRank(); ++d)
      whole &= starts[d] == 0 && (steps[d] == 1 || sizes[d] <= 1);
    if (whole) {
      rewriter.replaceOp(op, input);
      return success();
    }
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, type));
      return success();
    }
    if (llvm::all_of(llvm::seq<int64_t>(0, type.getRank()), isForward)) {
      SmallVector<int64_t> strides;
      for (int64_t d = 0; d < type.getRank(); ++d)
        strides.push_back(steps[d] > 0 ? steps[d] : 1);
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, input, getAsIndexOpFoldResult(getContext(), starts),
          getAsIndexOpFoldResult(getContext(), sizes),
          getAsIndexOpFoldResult(getContext(), strides));
      return success();
    }
    // A negative step walks backwards, which extract_slice cannot express:
    // read input[start + i * step] in a generic.
    SmallVector<AffineExpr> exprs;
    for (auto [d, start, step] : llvm::enumerate(starts, steps))
      exprs.push_back(getAffineDimExpr(d, getContext()) * step + start);
    AffineMap map = AffineMap::get(type.getRank(), 0, exprs, getContext());
    Value result = createMappedGeneric(
        rewriter, loc, type, {input}, {map},
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Gather: result[outer..., idx..., inner...] =
/// data[outer..., indices[idx...], inner...]. A negative index counts from
/// the end; an index still outside the axis (a run-time error in the model)
/// is clamped into it so that the read stays in bounds.
struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t axis = op.getAxis(), indicesRank = indicesType.getRank();
    int64_t axisSize = dataType.getDimSize(axis);
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, type));
      return success();
    }
    if (axisSize == 0)
      return op.emitOpError("gathers from dimension ")
             << axis << " of " << op.getData().getType()
             << ", which is empty: every index is out of range";

    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < indicesRank; ++d)
      indexExprs.push_back(getAffineDimExpr(axis + d, ctx));
    AffineMap indexMap = AffineMap::get(type.getRank(), 0, indexExprs, ctx);
    Value result = createMappedGeneric(
        rewriter, loc, type, {indices}, {indexMap},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value index =
              b.create<arith::IndexCastOp>(l, b.getIndexType(), args[0]);
          Value zero = b.create<arith::ConstantIndexOp>(l, 0);
          Value size = b.create<arith::ConstantIndexOp>(l, axisSize);
          Value last = b.create<arith::ConstantIndexOp>(l, axisSize - 1);
          Value negative = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt,
                                                   index, zero);
          Value wrapped = b.create<arith::AddIOp>(l, index, size);
          index = b.create<arith::SelectOp>(l, negative, wrapped, index);
          index = b.create<arith::MaxSIOp>(l, index, zero);
          index = b.create<arith::MinSIOp>(l, index, last);
          SmallVector<Value> position;
          for (int64_t d = 0; d < axis; ++d)
            position.push_back(b.create<linalg::IndexOp>(l, d));
          position.push_back(index);
          for (int64_t d = axis + 1; d < dataType.getRank(); ++d)
            position.push_back(
                b.create<linalg::IndexOp>(l, d - 1 + indicesRank));
          return b.create<tensor::ExtractOp>(l, data, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateDataMovementLoweringPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, ConcatLowering,
               SliceLowering, GatherLowering>(converter, patterns.getContext());
}
