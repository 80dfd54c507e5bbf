//===- ConvPool.cpp - Lower kiln convolution and pooling ------------------===//
//
// Part of Kiln. conv2d -> tensor.pad + linalg.conv_2d_nchw_fchw (groups 1),
// linalg.depthwise_conv_2d_nchw_chw (one filter per channel) or
// linalg.conv_2d_ngchw_gfchw (other groups, through expand_shape), with the
// bias broadcast into the accumulator; conv3d -> tensor.pad + one grouped
// linalg.generic. max_pool2d / avg_pool2d -> tensor.pad +
// linalg.pooling_nchw_max / pooling_nchw_sum, and their 3-D forms (and the
// unsigned max pool) -> a windowed linalg.generic; the trailing padding
// grows where ceil_mode needs windows past it, so that the linalg op
// produces exactly the kiln result type. Average pooling divides by
// per-dimension window counts computed here, at compile time.
// max_pool_indices -> a windowed linalg.generic carrying the maximum and
// its flat index. conv_transpose -> a linalg.generic scattering into the
// full result (output map i * stride + k * dilation), a slice, the bias.
// global_avg_pool -> linalg.reduce + divide + expand_shape.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <type_traits>

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// Pads the spatial dimensions of an `N x C x spatial...` tensor with
/// `value`: `low` and `high` hold one pad per spatial dimension.
Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, TypedAttr value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> lowPads = {0, 0}, highPads = {0, 0};
  lowPads.append(low.begin(), low.end());
  highPads.append(high.begin(), high.end());
  SmallVector<int64_t> shape(type.getShape());
  for (size_t d = 0; d < low.size(); ++d)
    shape[2 + d] += low[d] + high[d];
  Value padValue = createScalar(b, loc, value);
  return b.create<tensor::PadOp>(
      loc, type.clone(shape), input,
      getAsIndexOpFoldResult(b.getContext(), lowPads),
      getAsIndexOpFoldResult(b.getContext(), highPads), padValue);
}

/// The map `(loops...) -> (..., out_i * stride_i + tap_i * dilation_i)` that
/// reads a window: `leading` loop dimensions are copied first, the output
/// position of spatial dimension `i` is loop `outBase + i` and its tap loop
/// `tapBase + i`.
AffineMap getWindowMap(MLIRContext *ctx, unsigned numLoops,
                       ArrayRef<unsigned> leading, unsigned outBase,
                       unsigned tapBase, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations) {
  SmallVector<AffineExpr> exprs;
  for (unsigned l : leading)
    exprs.push_back(getAffineDimExpr(l, ctx));
  for (size_t i = 0; i < strides.size(); ++i)
    exprs.push_back(getAffineDimExpr(outBase + i, ctx) * strides[i] +
                    getAffineDimExpr(tapBase + i, ctx) * dilations[i]);
  return AffineMap::get(numLoops, 0, exprs, ctx);
}

/// The input extent `(out - 1) * stride + (kernel - 1) * dilation + 1` that
/// `out` windows read.
int64_t requiredInput(int64_t out, int64_t kernel, int64_t stride,
                      int64_t dilation) {
  if (out == 0)
    return 0;
  return (out - 1) * stride + (kernel - 1) * dilation + 1;
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    Value filter = adaptor.getFilter();
    auto filterType = cast<RankedTensorType>(filter.getType());
    ArrayRef<int64_t> padding = op.getPadding();
    int64_t groups = op.getGroups();
    int64_t channels = op.getInput().getType().getDimSize(1);
    int64_t outChannels = filterType.getDimSize(0);

    // The input is padded by the explicit pads; windows that would go past
    // the bottom/right pad are not part of the result type, so the padded
    // input is always large enough.
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), padding.take_front(2),
                   padding.drop_front(2), rewriter.getZeroAttr(elementType));
    DenseIntElementsAttr strides = getI64TensorAttr(rewriter, op.getStrides());
    DenseIntElementsAttr dilations =
        getI64TensorAttr(rewriter, op.getDilations());

    // The accumulator starts as the bias broadcast over N, H, W (or zero).
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmpty(rewriter, loc, type);
      init = rewriter
                 .create<linalg::BroadcastOp>(loc, bias, empty,
                                              ArrayRef<int64_t>{0, 2, 3})
                 ->getResult(0);
    } else {
      init =
          createFilled(rewriter, loc, type, rewriter.getZeroAttr(elementType));
    }

    Value result;
    if (groups == 1) {
      result = rewriter
                   .create<linalg::Conv2DNchwFchwOp>(
                       loc, TypeRange{type}, ValueRange{input, filter},
                       ValueRange{init}, strides, dilations)
                   .getResult(0);
    } else if (groups == channels && outChannels == channels) {
      // Depthwise: filter O x 1 x KH x KW -> C x KH x KW.
      auto depthwiseFilterType = RankedTensorType::get(
          {outChannels, filterType.getDimSize(2), filterType.getDimSize(3)},
          elementType);
      Value depthwiseFilter =
          reshapeTo(rewriter, loc, filter, depthwiseFilterType);
      result = rewriter
                   .create<linalg::DepthwiseConv2DNchwChwOp>(
                       loc, TypeRange{type}, ValueRange{input, depthwiseFilter},
                       ValueRange{init}, strides, dilations)
                   .getResult(0);
    } else {
      // N x C x H x W -> N x G x C/G x H x W, O x C/G x KH x KW ->
      // G x O/G x C/G x KH x KW, N x O x OH x OW -> N x G x O/G x OH x OW.
      auto inputType = cast<RankedTensorType>(input.getType());
      auto split = [&](RankedTensorType t, int64_t dim) {
        SmallVector<int64_t> shape(t.getShape());
        shape[dim] /= groups;
        shape.insert(shape.begin() + dim, groups);
        return t.clone(shape);
      };
      auto groupedType = split(type, 1);
      Value groupedInput = reshapeTo(rewriter, loc, input, split(inputType, 1));
      Value groupedFilter =
          reshapeTo(rewriter, loc, filter, split(filterType, 0));
      Value groupedInit = reshapeTo(rewriter, loc, init, groupedType);
      Value grouped = rewriter
                          .create<linalg::Conv2DNgchwGfchwOp>(
                              loc, TypeRange{groupedType},
                              ValueRange{groupedInput, groupedFilter},
                              ValueRange{groupedInit}, strides, dilations)
                          .getResult(0);
      result = reshapeTo(rewriter, loc, grouped, type);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// conv3d (any groups) as one linalg.generic over the grouped shapes
/// N x G x C/G x D x H x W, G x O/G x C/G x KD x KH x KW ->
/// N x G x O/G x OD x OH x OW (linalg has no NCDHW grouped named op).
struct Conv3DLowering : OpConversionPattern<Conv3DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv3DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    constexpr unsigned rank = 3;
    ArrayRef<int64_t> padding = op.getPadding();
    int64_t groups = op.getGroups();
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), padding.take_front(rank),
                   padding.drop_front(rank), rewriter.getZeroAttr(elementType));
    Value filter = adaptor.getFilter();

    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmpty(rewriter, loc, type);
      init = rewriter
                 .create<linalg::BroadcastOp>(loc, bias, empty,
                                              ArrayRef<int64_t>{0, 2, 3, 4})
                 ->getResult(0);
    } else {
      init =
          createFilled(rewriter, loc, type, rewriter.getZeroAttr(elementType));
    }

    auto split = [&](Value value, int64_t dim) {
      auto t = cast<RankedTensorType>(value.getType());
      SmallVector<int64_t> shape(t.getShape());
      shape[dim] /= groups;
      shape.insert(shape.begin() + dim, groups);
      return reshapeTo(rewriter, loc, value, t.clone(shape));
    };
    Value groupedInput = split(input, 1);
    Value groupedFilter = split(filter, 0);
    Value groupedInit = split(init, 1);
    // Loops: n, g, o, out_0..out_2 (parallel), c, tap_0..tap_2 (reduction).
    unsigned numLoops = 4 + 2 * rank, cLoop = 3 + rank, tapBase = 4 + rank;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> filterExprs = {d(1), d(2), d(cLoop)};
    SmallVector<AffineExpr> outExprs = {d(0), d(1), d(2)};
    for (unsigned i = 0; i < rank; ++i) {
      filterExprs.push_back(d(tapBase + i));
      outExprs.push_back(d(3 + i));
    }
    SmallVector<AffineMap> maps = {
        getWindowMap(ctx, numLoops, {0, 1, cLoop}, 3, tapBase, op.getStrides(),
                     op.getDilations()),
        AffineMap::get(numLoops, 0, filterExprs, ctx),
        AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(3 + rank,
                                               utils::IteratorType::parallel);
    iterators.append(1 + rank, utils::IteratorType::reduction);
    Value grouped =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{groupedInit.getType()},
                ValueRange{groupedInput, groupedFilter},
                ValueRange{groupedInit}, maps, iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value product =
                      createMul(b, l, ElementKind::Float, args[0], args[1]);
                  b.create<linalg::YieldOp>(
                      l, createAdd(b, l, ElementKind::Float, args[2], product));
                })
            .getResult(0);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, grouped, type));
    return success();
  }
};

/// conv_transpose: each input element is scattered into the full result
/// by one linalg.generic whose output map is `i * stride + k * dilation`
/// (every tap is computed once, nothing is multiplied by inserted zeros),
/// over the grouped shapes N x G x C/G x D..., G x C/G x O/G x K... ->
/// N x G x O/G x full...; the pads are then sliced off and the bias added.
struct ConvTransposeLowering : OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    Value input = adaptor.getInput(), filter = adaptor.getFilter();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto filterType = cast<RankedTensorType>(filter.getType());
    unsigned rank = inputType.getRank() - 2;
    int64_t groups = op.getGroups();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      padding = op.getPadding(),
                      outputPadding = op.getOutputPadding();

    int64_t channels = inputType.getDimSize(1);
    int64_t outPerGroup = filterType.getDimSize(1);
    SmallVector<int64_t> groupedInput = {inputType.getDimSize(0), groups,
                                         channels / groups};
    SmallVector<int64_t> groupedFilter = {groups, channels / groups,
                                          outPerGroup};
    SmallVector<int64_t> full = {type.getDimSize(0), groups, outPerGroup};
    for (unsigned d = 0; d < rank; ++d) {
      groupedInput.push_back(inputType.getDimSize(2 + d));
      groupedFilter.push_back(filterType.getDimSize(2 + d));
      full.push_back((inputType.getDimSize(2 + d) - 1) * strides[d] +
                     (filterType.getDimSize(2 + d) - 1) * dilations[d] + 1 +
                     outputPadding[d]);
    }
    auto fullType = RankedTensorType::get(full, elementType);
    Value x = reshapeTo(rewriter, loc, input,
                        RankedTensorType::get(groupedInput, elementType));
    Value w = reshapeTo(rewriter, loc, filter,
                        RankedTensorType::get(groupedFilter, elementType));
    Value init = createFilled(rewriter, loc, fullType,
                              rewriter.getZeroAttr(elementType));

    // Loops: n, g, o (parallel), i_0.., c, k_0.. (reduction: several
    // (i, k) pairs reach the same output position).
    unsigned numLoops = 4 + 2 * rank, cLoop = 3 + rank, tapBase = 4 + rank;
    auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> inExprs = {dim(0), dim(1), dim(cLoop)};
    SmallVector<AffineExpr> wExprs = {dim(1), dim(cLoop), dim(2)};
    SmallVector<AffineExpr> outExprs = {dim(0), dim(1), dim(2)};
    for (unsigned d = 0; d < rank; ++d) {
      inExprs.push_back(dim(3 + d));
      wExprs.push_back(dim(tapBase + d));
      outExprs.push_back(dim(3 + d) * strides[d] +
                         dim(tapBase + d) * dilations[d]);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, inExprs, ctx),
                                   AffineMap::get(numLoops, 0, wExprs, ctx),
                                   AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(3,
                                               utils::IteratorType::parallel);
    iterators.append(numLoops - 3, utils::IteratorType::reduction);
    Value scattered =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{fullType}, ValueRange{x, w}, ValueRange{init},
                maps, iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value product =
                      createMul(b, l, ElementKind::Float, args[0], args[1]);
                  b.create<linalg::YieldOp>(
                      l, createAdd(b, l, ElementKind::Float, args[2], product));
                })
            .getResult(0);

    // N x G x O/G x full... -> N x O x full..., then cut the pads.
    SmallVector<int64_t> merged = {type.getDimSize(0), groups * outPerGroup};
    merged.append(full.begin() + 3, full.end());
    Value result = reshapeTo(rewriter, loc, scattered,
                             RankedTensorType::get(merged, elementType));
    if (llvm::any_of(padding, [](int64_t p) { return p != 0; }) ||
        llvm::any_of(outputPadding, [](int64_t p) { return p != 0; })) {
      SmallVector<int64_t> offsets(rank + 2, 0), strides1(rank + 2, 1);
      for (unsigned d = 0; d < rank; ++d)
        offsets[2 + d] = padding[d];
      result = rewriter.create<tensor::ExtractSliceOp>(
          loc, type, result,
          ArrayRef<OpFoldResult>(getAsIndexOpFoldResult(ctx, offsets)),
          ArrayRef<OpFoldResult>(getAsIndexOpFoldResult(ctx, type.getShape())),
          ArrayRef<OpFoldResult>(getAsIndexOpFoldResult(ctx, strides1)));
    }
    if (Value bias = adaptor.getBias()) {
      SmallVector<AffineMap> biasMaps = {
          AffineMap::getMultiDimIdentityMap(rank + 2, ctx),
          AffineMap::get(rank + 2, 0, dim(1))};
      result = createMappedGeneric(
          rewriter, loc, type, {result, bias}, biasMaps,
          [](OpBuilder &b, Location l, ValueRange args) {
            return createAdd(b, l, ElementKind::Float, args[0], args[1]);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// What the pools share: the input padded with `padValue` so that the
/// windows of the result type fit, and the kernel-shaped tensor that linalg
/// pooling ops take to know the window size.
struct PoolWindow {
  Value input;
  Value kernel;
  RankedTensorType type;
  /// Trailing padding beyond the explicit one (ceil_mode overhang).
  SmallVector<int64_t> extra;
};

template <typename OpTy>
PoolWindow preparePool(OpTy op, Value input, RankedTensorType type,
                       TypedAttr padValue, OpBuilder &b) {
  Location loc = op.getLoc();
  auto inputType = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                    dilations = op.getDilations(), padding = op.getPadding();
  size_t rank = kernel.size();
  PoolWindow window;
  window.type = type;
  SmallVector<int64_t> high;
  for (size_t d = 0; d < rank; ++d) {
    int64_t padded =
        inputType.getDimSize(2 + d) + padding[d] + padding[rank + d];
    int64_t needed = requiredInput(type.getDimSize(2 + d), kernel[d],
                                   strides[d], dilations[d]);
    window.extra.push_back(std::max<int64_t>(0, needed - padded));
    high.push_back(padding[rank + d] + window.extra.back());
  }
  window.input =
      padSpatial(b, loc, input, padding.take_front(rank), high, padValue);
  window.kernel =
      createEmpty(b, loc, RankedTensorType::get(kernel, type.getElementType()));
  return window;
}

/// A pooling window sweep as a linalg.generic (any number of spatial
/// dimensions): loops n, c, out_i (parallel), tap_i (reduction); `combine`
/// folds one input element into the accumulator.
Value createPoolGeneric(OpBuilder &b, Location loc, const PoolWindow &window,
                        Value init, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations, CombineBuilder combine) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = strides.size();
  unsigned numLoops = 2 + 2 * rank;
  SmallVector<AffineExpr> taps;
  for (unsigned i = 0; i < rank; ++i)
    taps.push_back(getAffineDimExpr(2 + rank + i, ctx));
  SmallVector<AffineMap> maps = {
      getWindowMap(ctx, numLoops, {0, 1}, 2, 2 + rank, strides, dilations),
      AffineMap::get(numLoops, 0, taps, ctx),
      getProjectionMap(
          ctx, numLoops,
          llvm::to_vector(llvm::seq<int64_t>(2 + rank, numLoops)))};
  SmallVector<utils::IteratorType> iterators(2 + rank,
                                             utils::IteratorType::parallel);
  iterators.append(rank, utils::IteratorType::reduction);
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{window.type}, ValueRange{window.input, window.kernel},
          ValueRange{init}, maps, iterators,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            nb.create<linalg::YieldOp>(l, combine(nb, l, args[0], args[2]));
          })
      .getResult(0);
}

/// max_pool2d (linalg.pooling_nchw_max for floats and signed integers) and
/// max_pool3d (a generic: linalg's 3-D pools are channels-last only).
template <typename OpTy> struct MaxPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    Location loc = op.getLoc();
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    TypedAttr lowest = getLowestAttr(type.getElementType(), kind);
    PoolWindow window =
        preparePool(op, adaptor.getInput(), type, lowest, rewriter);
    Value init = createFilled(rewriter, loc, type, lowest);
    Value result;
    if (op.getKernel().size() == 2 &&
        (kind == ElementKind::Float || kind == ElementKind::Signed)) {
      result =
          rewriter
              .create<linalg::PoolingNchwMaxOp>(
                  loc, TypeRange{type}, ValueRange{window.input, window.kernel},
                  ValueRange{init}, getI64TensorAttr(rewriter, op.getStrides()),
                  getI64TensorAttr(rewriter, op.getDilations()))
              .getResult(0);
    } else {
      // No unsigned NCHW nor 3-D NCDHW max pool in linalg.
      result = createPoolGeneric(
          rewriter, loc, window, init, op.getStrides(), op.getDilations(),
          [&](OpBuilder &b, Location l, Value x, Value acc) {
            return createMax(b, l, kind, acc, x);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// max_pool_indices: the max pool's window sweep as a linalg.generic with
/// two accumulators, the maximum so far and its flat input index; a tap
/// replaces them only when strictly larger, so the first maximum wins.
struct MaxPoolIndicesLowering : OpConversionPattern<MaxPoolIndicesOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPoolIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inputType = op.getInput().getType();
    ElementKind kind = getElementKind(inputType);
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto indexType = cast<RankedTensorType>(op.getType());
    auto valueType = convertTensorType(*getTypeConverter(), inputType)
                         .clone(indexType.getShape());
    TypedAttr lowest = getLowestAttr(valueType.getElementType(), kind);
    PoolWindow window =
        preparePool(op, adaptor.getInput(), valueType, lowest, rewriter);
    Value values = createFilled(rewriter, loc, valueType, lowest);
    Value indices =
        createFilled(rewriter, loc, indexType, rewriter.getI64IntegerAttr(0));

    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      padding = op.getPadding();
    unsigned rank = strides.size(), numLoops = 2 + 2 * rank;
    SmallVector<AffineExpr> taps;
    for (unsigned i = 0; i < rank; ++i)
      taps.push_back(getAffineDimExpr(2 + rank + i, ctx));
    AffineMap outMap = getProjectionMap(
        ctx, numLoops, llvm::to_vector(llvm::seq<int64_t>(2 + rank, numLoops)));
    SmallVector<AffineMap> maps = {
        getWindowMap(ctx, numLoops, {0, 1}, 2, 2 + rank, strides, dilations),
        AffineMap::get(numLoops, 0, taps, ctx), outMap, outMap};
    SmallVector<utils::IteratorType> iterators(2 + rank,
                                               utils::IteratorType::parallel);
    iterators.append(rank, utils::IteratorType::reduction);
    // Flat index of the tap: dimensions in row-major order (N, C, then the
    // spatial ones, reversed for column_major), each position unpadded.
    SmallVector<int64_t> order = {0, 1};
    for (unsigned i = 0; i < rank; ++i)
      order.push_back(op.getColumnMajor() ? 2 + rank - 1 - i : 2 + i);
    auto build = [&](OpBuilder &b, Location l, ValueRange args) {
      Type i64 = b.getI64Type();
      auto constant = [&](int64_t v) {
        return b.create<arith::ConstantOp>(l, b.getI64IntegerAttr(v));
      };
      auto position = [&](int64_t dim) -> Value {
        if (dim < 2)
          return b.create<arith::IndexCastOp>(
              l, i64, b.create<linalg::IndexOp>(l, dim));
        unsigned i = dim - 2;
        Value out = b.create<arith::IndexCastOp>(
            l, i64, b.create<linalg::IndexOp>(l, 2 + i));
        Value tap = b.create<arith::IndexCastOp>(
            l, i64, b.create<linalg::IndexOp>(l, 2 + rank + i));
        Value p = b.create<arith::AddIOp>(
            l, b.create<arith::MulIOp>(l, out, constant(strides[i])),
            b.create<arith::MulIOp>(l, tap, constant(dilations[i])));
        return b.create<arith::SubIOp>(l, p, constant(padding[i]));
      };
      Value flat = position(order[0]);
      for (int64_t dim : ArrayRef<int64_t>(order).drop_front()) {
        flat = b.create<arith::MulIOp>(l, flat,
                                       constant(inputType.getDimSize(dim)));
        flat = b.create<arith::AddIOp>(l, flat, position(dim));
      }
      Value larger;
      if (kind == ElementKind::Float)
        larger = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, args[0],
                                         args[2]);
      else
        larger = b.create<arith::CmpIOp>(l,
                                         isUnsignedLike(kind)
                                             ? arith::CmpIPredicate::ugt
                                             : arith::CmpIPredicate::sgt,
                                         args[0], args[2]);
      b.create<linalg::YieldOp>(
          l, ValueRange{b.create<arith::SelectOp>(l, larger, args[0], args[2]),
                        b.create<arith::SelectOp>(l, larger, flat, args[3])});
    };
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{valueType, indexType},
        ValueRange{window.input, window.kernel}, ValueRange{values, indices},
        maps, iterators, build);
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

/// For each of `outputs` windows along one dimension, the number of taps
/// that land in [lo, hi) of the unpadded input's coordinates (at least 1:
/// a window that reads nothing has the sum 0).
SmallVector<int64_t> countTaps(int64_t outputs, int64_t kernel, int64_t stride,
                               int64_t dilation, int64_t padBefore, int64_t lo,
                               int64_t hi) {
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < outputs; ++o) {
    int64_t count = 0;
    for (int64_t t = 0; t < kernel; ++t) {
      int64_t position = o * stride - padBefore + t * dilation;
      count += position >= lo && position < hi;
    }
    counts.push_back(std::max<int64_t>(count, 1));
  }
  return counts;
}

/// avg_pool2d (linalg.pooling_nchw_sum) and avg_pool3d (a generic), then a
/// division by window counts computed here.
template <typename OpTy> struct AvgPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    if (getElementKind(op.getType()) != ElementKind::Float)
      return op.emitOpError("integer average pooling is not supported (ONNX "
                            "AveragePool and TensorFlow AvgPool are float "
                            "only), got ")
             << op.getType();
    Location loc = op.getLoc();
    MLIRContext *ctx = this->getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    TypedAttr zero = rewriter.getZeroAttr(elementType);
    PoolWindow window =
        preparePool(op, adaptor.getInput(), type, zero, rewriter);
    Value init = createFilled(rewriter, loc, type, zero);
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      dilations = op.getDilations(), padding = op.getPadding();
    size_t rank = kernel.size();
    Value sum;
    if (rank == 2) {
      sum =
          rewriter
              .create<linalg::PoolingNchwSumOp>(
                  loc, TypeRange{type}, ValueRange{window.input, window.kernel},
                  ValueRange{init}, getI64TensorAttr(rewriter, strides),
                  getI64TensorAttr(rewriter, dilations))
              .getResult(0);
    } else {
      sum = createPoolGeneric(rewriter, loc, window, init, strides, dilations,
                              [](OpBuilder &b, Location l, Value x, Value acc) {
                                return createAdd(b, l, ElementKind::Float, acc,
                                                 x);
                              });
    }

    // Divisors, separable into one factor per spatial dimension: with
    // count_include_pad the explicit pads count (but not the ceil_mode
    // overhang past them, as in onnxruntime); without it only the input.
    auto inputType = op.getInput().getType();
    SmallVector<SmallVector<int64_t>> counts;
    for (size_t d = 0; d < rank; ++d) {
      int64_t size = inputType.getDimSize(2 + d);
      int64_t lo = op.getCountIncludePad() ? -padding[d] : 0;
      int64_t hi = op.getCountIncludePad() ? size + padding[rank + d] : size;
      counts.push_back(countTaps(type.getDimSize(2 + d), kernel[d], strides[d],
                                 dilations[d], padding[d], lo, hi));
    }
    Value result;
    if (llvm::all_of(counts,
                     [](ArrayRef<int64_t> c) { return llvm::all_equal(c); })) {
      int64_t volume = 1;
      for (ArrayRef<int64_t> c : counts)
        volume *= c.empty() ? 1 : c[0];
      TypedAttr divisor = getScalarAttr(elementType, volume);
      result =
          createElementwise(rewriter, loc, type, {sum},
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              return b.create<arith::DivFOp>(
                                  l, args[0], createScalar(b, l, divisor));
                            });
    } else {
      SmallVector<Value> operands = {sum};
      SmallVector<AffineMap> maps = {
          AffineMap::getMultiDimIdentityMap(rank + 2, ctx)};
      for (size_t d = 0; d < rank; ++d) {
        SmallVector<Attribute> values;
        for (int64_t count : counts[d])
          values.push_back(getScalarAttr(elementType, count));
        auto factorType = RankedTensorType::get(
            {static_cast<int64_t>(values.size())}, elementType);
        operands.push_back(rewriter.create<arith::ConstantOp>(
            loc, DenseElementsAttr::get(factorType, values)));
        maps.push_back(
            AffineMap::get(rank + 2, 0, getAffineDimExpr(2 + d, ctx)));
      }
      result = createMappedGeneric(
          rewriter, loc, type, operands, maps,
          [](OpBuilder &b, Location l, ValueRange args) {
            Value count = args[1];
            for (Value factor : args.drop_front(2))
              count = b.create<arith::MulFOp>(l, count, factor);
            return b.create<arith::DivFOp>(l, args[0], count);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GlobalAvgPoolLowering : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    SmallVector<int64_t> spatial =
        llvm::to_vector(llvm::seq<int64_t>(2, inputType.getRank()));
    int64_t count = 1;
    for (int64_t d : spatial)
      count *= inputType.getDimSize(d);
    Value sum = createReduction(
        rewriter, loc, input, spatial, rewriter.getZeroAttr(elementType),
        [](OpBuilder &b, Location l, Value x, Value acc) {
          return createAdd(b, l, ElementKind::Float, x, acc);
        });
    TypedAttr divisor = getScalarAttr(elementType, count);
    Value mean = createElementwise(
        rewriter, loc, cast<RankedTensorType>(sum.getType()), {sum},
        [&](OpBuilder &b, Location l, ValueRange args) {
          return b.create<arith::DivFOp>(l, args[0],
                                         createScalar(b, l, divisor));
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, mean,
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void kiln::populateConvPoolLoweringPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, Conv3DLowering, MaxPoolLowering<MaxPool2DOp>,
               MaxPoolLowering<MaxPool3DOp>, AvgPoolLowering<AvgPool2DOp>,
               AvgPoolLowering<AvgPool3DOp>, MaxPoolIndicesLowering,
               ConvTransposeLowering, GlobalAvgPoolLowering>(
      converter, patterns.getContext());
}
