//===- DataMovement.cpp - Lower kiln data movement ops --------------------===//
//
// Part of Kiln. reshape -> tensor.collapse_shape / expand_shape (views after
// bufferization), transpose -> linalg.transpose, concat -> tensor.empty +
// tensor.insert_slice, slice -> tensor.extract_slice (positive steps) or a
// linalg.generic reading `start + i * step` (negative steps), gather -> a
// linalg.generic that extracts from the data tensor, broadcast_to -> a
// linalg.generic with a broadcasting map, gather_elements/gather_nd ->
// linalg.generics that extract, scatters, cumsum and top_k -> scf.for nests
// that update a tensor in order (in place after bufferization).
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

//===----------------------------------------------------------------------===//
// Indexed data movement
//===----------------------------------------------------------------------===//

/// `index` (any integer type) as an `index` with a negative value counting
/// from the end of a dimension of `size`, and whether it lies in [0, size).
static std::pair<Value, Value> wrapIndex(OpBuilder &b, Location l, Value index,
                                         int64_t size) {
  index = b.create<arith::IndexCastOp>(l, b.getIndexType(), index);
  Value zero = b.create<arith::ConstantIndexOp>(l, 0);
  Value sizeValue = b.create<arith::ConstantIndexOp>(l, size);
  Value negative =
      b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = b.create<arith::AddIOp>(l, index, sizeValue);
  index = b.create<arith::SelectOp>(l, negative, wrapped, index);
  Value low =
      b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, index, zero);
  Value high =
      b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, index, sizeValue);
  return {index, b.create<arith::AndIOp>(l, low, high)};
}

/// `wrapIndex` clamped into [0, size) (size > 0), for reads.
static Value clampIndex(OpBuilder &b, Location l, Value index, int64_t size) {
  index = wrapIndex(b, l, index, size).first;
  Value zero = b.create<arith::ConstantIndexOp>(l, 0);
  Value last = b.create<arith::ConstantIndexOp>(l, size - 1);
  index = b.create<arith::MaxSIOp>(l, index, zero);
  return b.create<arith::MinSIOp>(l, index, last);
}

/// Combines an existing element with a scatter update.
static Value combineScatter(OpBuilder &b, Location l, ScatterReduction kind,
                            ElementKind element, Value old, Value update) {
  switch (kind) {
  case ScatterReduction::none:
    return update;
  case ScatterReduction::add:
    return createAdd(b, l, element, old, update);
  case ScatterReduction::mul:
    return createMul(b, l, element, old, update);
  case ScatterReduction::max:
    return createMax(b, l, element, old, update);
  case ScatterReduction::min:
    return createMin(b, l, element, old, update);
  }
  llvm_unreachable("unknown scatter reduction");
}

/// A nest of scf.for loops over [0, bounds) carrying `inits`.
static SmallVector<Value>
buildNest(OpBuilder &b, Location loc, ArrayRef<int64_t> bounds,
          ValueRange inits,
          function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange,
                                          ValueRange)>
              body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t bound : bounds) {
    lbs.push_back(b.create<arith::ConstantIndexOp>(loc, 0));
    ubs.push_back(b.create<arith::ConstantIndexOp>(loc, bound));
    steps.push_back(b.create<arith::ConstantIndexOp>(loc, 1));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, inits,
      [&](OpBuilder &nb, Location nl, ValueRange ivs, ValueRange args) {
        return scf::ValueVector(body(nb, nl, ivs, args));
      });
  return SmallVector<Value>(nest.results);
}

/// `result` with `value` combined into position `position` when `inBounds`.
static Value scatterInto(OpBuilder &b, Location l, Value result, Value inBounds,
                         ValueRange position, Value update,
                         ScatterReduction kind, ElementKind element) {
  auto ifOp = b.create<scf::IfOp>(
      l, inBounds,
      [&](OpBuilder &tb, Location tl) {
        Value old = tb.create<tensor::ExtractOp>(tl, result, position);
        Value combined = combineScatter(tb, tl, kind, element, old, update);
        Value inserted =
            tb.create<tensor::InsertOp>(tl, combined, result, position);
        tb.create<scf::YieldOp>(tl, inserted);
      },
      [&](OpBuilder &eb, Location el) { eb.create<scf::YieldOp>(el, result); });
  return ifOp.getResult(0);
}

struct BroadcastToLowering : OpConversionPattern<BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BroadcastToOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    if (input.getType() == type) {
      rewriter.replaceOp(op, input);
      return success();
    }
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, type));
      return success();
    }
    auto inType = cast<RankedTensorType>(input.getType());
    AffineMap map =
        getBroadcastMap(getContext(), inType.getShape(), type.getShape());
    rewriter.replaceOp(
        op, createMappedGeneric(rewriter, loc, type, {input}, {map},
                                [](OpBuilder &, Location, ValueRange args) {
                                  return args[0];
                                }));
    return success();
  }
};

/// result[p] = data[p with p[axis] = indices[p]], indices clamped as for
/// gather.
struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, type));
      return success();
    }
    Value data = adaptor.getData();
    int64_t axis = op.getAxis();
    int64_t size = cast<RankedTensorType>(data.getType()).getDimSize(axis);
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(type.getRank(), getContext());
    Value result = createMappedGeneric(
        rewriter, loc, type, {adaptor.getIndices()}, {identity},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          SmallVector<Value> position;
          for (int64_t d = 0; d < type.getRank(); ++d)
            position.push_back(d == axis ? clampIndex(b, l, args[0], size)
                                         : b.create<linalg::IndexOp>(l, d));
          return b.create<tensor::ExtractOp>(l, data, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A copy of data updated in order by scf.for loops over the indices.
struct ScatterElementsLowering : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t axis = op.getAxis();
    int64_t size = cast<RankedTensorType>(data.getType()).getDimSize(axis);
    ElementKind element = getElementKind(op.getType());
    ScatterReduction kind = op.getReduction();
    if (indicesType.getNumElements() == 0) {
      rewriter.replaceOp(op, data);
      return success();
    }
    SmallVector<Value> results = buildNest(
        rewriter, loc, indicesType.getShape(), {data},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          Value index = b.create<tensor::ExtractOp>(l, indices, ivs);
          Value update = b.create<tensor::ExtractOp>(l, updates, ivs);
          auto [wrapped, inBounds] = wrapIndex(b, l, index, size);
          SmallVector<Value> position(ivs);
          position[axis] = wrapped;
          return SmallVector<Value>{scatterInto(
              b, l, args[0], inBounds, position, update, kind, element)};
        });
    rewriter.replaceOp(op, results.front());
    return success();
  }
};

/// result[i..., s...] = data[b..., indices[i..., 0], ..., s...] with the
/// index tuple clamped into the data.
struct GatherNDLowering : OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, type));
      return success();
    }
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t batchDims = op.getBatchDims();
    int64_t q = indicesType.getRank();
    int64_t m = indicesType.getDimSize(q - 1);
    Value result = createMappedGeneric(
        rewriter, loc, type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> tuple, position;
          for (int64_t d = 0; d < q - 1; ++d)
            tuple.push_back(b.create<linalg::IndexOp>(l, d));
          for (int64_t d = 0; d < batchDims; ++d)
            position.push_back(tuple[d]);
          tuple.push_back(Value());
          for (int64_t t = 0; t < m; ++t) {
            tuple.back() = b.create<arith::ConstantIndexOp>(l, t);
            Value index = b.create<tensor::ExtractOp>(l, indices, tuple);
            position.push_back(
                clampIndex(b, l, index, dataType.getDimSize(batchDims + t)));
          }
          for (int64_t d = batchDims + m; d < dataType.getRank(); ++d)
            position.push_back(
                b.create<linalg::IndexOp>(l, q - 1 + d - batchDims - m));
          return b.create<tensor::ExtractOp>(l, data, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A copy of data updated in order by scf.for loops over the index tuples
/// and the elements of each addressed slice.
struct ScatterNDLowering : OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto updatesType = cast<RankedTensorType>(updates.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t q = indicesType.getRank();
    int64_t m = indicesType.getDimSize(q - 1);
    ElementKind element = getElementKind(op.getType());
    ScatterReduction kind = op.getReduction();
    if (updatesType.getNumElements() == 0) {
      rewriter.replaceOp(op, data);
      return success();
    }
    SmallVector<Value> results = buildNest(
        rewriter, loc, updatesType.getShape(), {data},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          SmallVector<Value> tuple(ivs.take_front(q - 1)), position;
          tuple.push_back(Value());
          Value inBounds;
          for (int64_t t = 0; t < m; ++t) {
            tuple.back() = b.create<arith::ConstantIndexOp>(l, t);
            Value index = b.create<tensor::ExtractOp>(l, indices, tuple);
            auto [wrapped, ok] = wrapIndex(b, l, index, dataType.getDimSize(t));
            position.push_back(wrapped);
            inBounds = inBounds ? b.create<arith::AndIOp>(l, inBounds, ok) : ok;
          }
          llvm::append_range(position, ivs.drop_front(q - 1));
          Value update = b.create<tensor::ExtractOp>(l, updates, ivs);
          return SmallVector<Value>{scatterInto(
              b, l, args[0], inBounds, position, update, kind, element)};
        });
    rewriter.replaceOp(op, results.front());
    return success();
  }
};

/// cumsum and cumprod: for every position off the axis, a sequential
/// scf.for along it carrying the running sum or product.
template <typename OpTy, bool IsProduct>
struct CumulativeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, input);
      return success();
    }
    int64_t axis = op.getAxis(), size = type.getDimSize(axis);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    ElementKind element = getElementKind(op.getType());
    SmallVector<int64_t> outer(type.getShape());
    outer[axis] = 1;
    Value identity = createScalar(
        rewriter, loc, getScalarAttr(type.getElementType(), IsProduct ? 1 : 0));
    Value init = createEmpty(rewriter, loc, type);
    SmallVector<Value> results = buildNest(
        rewriter, loc, outer, {init},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          SmallVector<Value> inner = buildNest(
              b, l, {size}, {args[0], identity},
              [&](OpBuilder &ib, Location il, ValueRange iv, ValueRange acc) {
                Value i = iv[0];
                if (reverse) {
                  Value last = ib.create<arith::ConstantIndexOp>(il, size - 1);
                  i = ib.create<arith::SubIOp>(il, last, i);
                }
                SmallVector<Value> position(ivs);
                position[axis] = i;
                Value x = ib.create<tensor::ExtractOp>(il, input, position);
                Value next = IsProduct ? createMul(ib, il, element, acc[1], x)
                                       : createAdd(ib, il, element, acc[1], x);
                Value written = exclusive ? acc[1] : next;
                Value result =
                    ib.create<tensor::InsertOp>(il, written, acc[0], position);
                return SmallVector<Value>{result, next};
              });
          return SmallVector<Value>{inner[0]};
        });
    rewriter.replaceOp(op, results.front());
    return success();
  }
};

/// Selection in O(n * k) per slice: output j is the best element that
/// comes after output j - 1 in the order (value, then lower index first).
struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto valuesType =
        convertTensorType(*getTypeConverter(), op.getValues().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t axis = op.getAxis(), k = op.getK(), n = inType.getDimSize(axis);
    Value values = createEmpty(rewriter, loc, valuesType);
    Value indices = createEmpty(rewriter, loc, indicesType);
    if (valuesType.getNumElements() == 0) {
      rewriter.replaceOp(op, {values, indices});
      return success();
    }
    ElementKind element = getElementKind(op.getValues().getType());
    bool smallest = op.getSmallest();
    // greater(a, b): a > b with NaN above every number.
    auto greater = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      if (element == ElementKind::Float) {
        Value gt = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, x, y);
        Value xNan =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, x, x);
        Value yNum =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::ORD, y, y);
        return b.create<arith::OrIOp>(l, gt,
                                      b.create<arith::AndIOp>(l, xNan, yNum));
      }
      return b.create<arith::CmpIOp>(l,
                                     isUnsignedLike(element)
                                         ? arith::CmpIPredicate::ugt
                                         : arith::CmpIPredicate::sgt,
                                     x, y);
    };
    auto equal = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      if (element == ElementKind::Float) {
        Value eq = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, x, y);
        Value xNan =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, x, x);
        Value yNan =
            b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, y, y);
        return b.create<arith::OrIOp>(l, eq,
                                      b.create<arith::AndIOp>(l, xNan, yNan));
      }
      return b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, x, y);
    };
    auto better = [&](OpBuilder &b, Location l, Value x, Value y) {
      return smallest ? greater(b, l, y, x) : greater(b, l, x, y);
    };
    SmallVector<int64_t> outer(inType.getShape());
    outer[axis] = 1;
    Value firstValue = rewriter.create<tensor::ExtractOp>(
        loc, input,
        SmallVector<Value>(inType.getRank(),
                           rewriter.create<arith::ConstantIndexOp>(loc, 0)));
    Value none = rewriter.create<arith::ConstantIndexOp>(loc, -1);
    SmallVector<Value> results = buildNest(
        rewriter, loc, outer, {values, indices},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          // Carries: values, indices, previous value, previous index.
          SmallVector<Value> picked = buildNest(
              b, l, {k}, {args[0], args[1], firstValue, none},
              [&](OpBuilder &jb, Location jl, ValueRange jv, ValueRange acc) {
                Value prev = acc[2], prevIndex = acc[3];
                Value first = jb.create<arith::CmpIOp>(
                    jl, arith::CmpIPredicate::eq, prevIndex, none);
                SmallVector<Value> best = buildNest(
                    jb, jl, {n}, {firstValue, none},
                    [&](OpBuilder &ib, Location il, ValueRange iv,
                        ValueRange cur) {
                      SmallVector<Value> position(ivs);
                      position[axis] = iv[0];
                      Value x =
                          ib.create<tensor::ExtractOp>(il, input, position);
                      // Eligible: after the previous pick in the order.
                      Value later = ib.create<arith::AndIOp>(
                          il, equal(ib, il, x, prev),
                          ib.create<arith::CmpIOp>(
                              il, arith::CmpIPredicate::sgt, iv[0], prevIndex));
                      Value eligible = ib.create<arith::OrIOp>(
                          il, first,
                          ib.create<arith::OrIOp>(il, better(ib, il, prev, x),
                                                  later));
                      Value empty = ib.create<arith::CmpIOp>(
                          il, arith::CmpIPredicate::eq, cur[1], none);
                      Value improves = ib.create<arith::OrIOp>(
                          il, empty, better(ib, il, x, cur[0]));
                      Value take =
                          ib.create<arith::AndIOp>(il, eligible, improves);
                      return SmallVector<Value>{
                          ib.create<arith::SelectOp>(il, take, x, cur[0]),
                          ib.create<arith::SelectOp>(il, take, iv[0], cur[1])};
                    });
                SmallVector<Value> position(ivs);
                position[axis] = jv[0];
                Value outValues =
                    jb.create<tensor::InsertOp>(jl, best[0], acc[0], position);
                Value index =
                    jb.create<arith::IndexCastOp>(jl, jb.getI64Type(), best[1]);
                Value outIndices =
                    jb.create<tensor::InsertOp>(jl, index, acc[1], position);
                return SmallVector<Value>{outValues, outIndices, best[0],
                                          best[1]};
              });
          return SmallVector<Value>{picked[0], picked[1]};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void kiln::populateDataMovementLoweringPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns
      .add<ReshapeLowering, TransposeLowering, ConcatLowering, SliceLowering,
           GatherLowering, BroadcastToLowering, GatherElementsLowering,
           ScatterElementsLowering, GatherNDLowering, ScatterNDLowering,
           CumulativeLowering<CumSumOp, false>,
           CumulativeLowering<CumProdOp, true>, TopKLowering>(
          converter, patterns.getContext());
}
