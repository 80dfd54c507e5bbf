//===- ConvPool.cpp - Lower kiln convolution and pooling ------------------===//
//
// Part of Kiln. conv2d -> tensor.pad + linalg.conv_2d_nchw_fchw (groups 1),
// linalg.depthwise_conv_2d_nchw_chw (one filter per channel) or
// linalg.conv_2d_ngchw_gfchw (other groups, through expand_shape), with the
// bias broadcast into the accumulator. max_pool2d / avg_pool2d ->
// tensor.pad + linalg.pooling_nchw_max / pooling_nchw_sum; the bottom/right
// padding grows where ceil_mode needs windows past it, so that the linalg
// op produces exactly the kiln result type. Average pooling divides by
// per-row and per-column window counts computed here, at compile time.
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

/// Pads the spatial dimensions of an NCHW tensor with `value`:
/// `low` = [top, left], `high` = [bottom, right].
Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, TypedAttr value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> lowPads = {0, 0, low[0], low[1]};
  SmallVector<int64_t> highPads = {0, 0, high[0], high[1]};
  SmallVector<int64_t> shape(type.getShape());
  for (int d = 0; d < 2; ++d)
    shape[2 + d] += low[d] + high[d];
  Value padValue = createScalar(b, loc, value);
  return b.create<tensor::PadOp>(
      loc, type.clone(shape), input,
      getAsIndexOpFoldResult(b.getContext(), lowPads),
      getAsIndexOpFoldResult(b.getContext(), highPads), padValue);
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

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// What the 2-D pools share: the input padded with `padValue` so that the
/// windows of the result type fit, and the kernel-shaped tensor that linalg
/// pooling ops take to know the window size.
struct PoolWindow {
  Value input;
  Value kernel;
  RankedTensorType type;
  /// Bottom/right padding beyond the explicit one (ceil_mode overhang).
  SmallVector<int64_t> extra;
};

template <typename OpTy>
PoolWindow preparePool(OpTy op, Value input, RankedTensorType type,
                       TypedAttr padValue, OpBuilder &b) {
  Location loc = op.getLoc();
  auto inputType = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                    dilations = op.getDilations(), padding = op.getPadding();
  PoolWindow window;
  window.type = type;
  SmallVector<int64_t> high;
  for (int d = 0; d < 2; ++d) {
    int64_t padded = inputType.getDimSize(2 + d) + padding[d] + padding[2 + d];
    int64_t needed = requiredInput(type.getDimSize(2 + d), kernel[d],
                                   strides[d], dilations[d]);
    window.extra.push_back(std::max<int64_t>(0, needed - padded));
    high.push_back(padding[2 + d] + window.extra.back());
  }
  window.input =
      padSpatial(b, loc, input, padding.take_front(2), high, padValue);
  window.kernel =
      createEmpty(b, loc, RankedTensorType::get(kernel, type.getElementType()));
  return window;
}

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    Location loc = op.getLoc();
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    TypedAttr lowest = getLowestAttr(type.getElementType(), kind);
    PoolWindow window =
        preparePool(op, adaptor.getInput(), type, lowest, rewriter);
    Value init = createFilled(rewriter, loc, type, lowest);
    Value result;
    if (kind == ElementKind::Float || kind == ElementKind::Signed) {
      result =
          rewriter
              .create<linalg::PoolingNchwMaxOp>(
                  loc, TypeRange{type}, ValueRange{window.input, window.kernel},
                  ValueRange{init}, getI64TensorAttr(rewriter, op.getStrides()),
                  getI64TensorAttr(rewriter, op.getDilations()))
              .getResult(0);
    } else {
      // No unsigned NCHW max pool in linalg: the same loops as a generic.
      MLIRContext *ctx = getContext();
      ArrayRef<int64_t> strides = op.getStrides(),
                        dilations = op.getDilations();
      auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
      SmallVector<AffineMap> maps = {
          AffineMap::get(6, 0,
                         {d(0), d(1), d(2) * strides[0] + d(4) * dilations[0],
                          d(3) * strides[1] + d(5) * dilations[1]},
                         ctx),
          AffineMap::get(6, 0, {d(4), d(5)}, ctx),
          AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
      SmallVector<utils::IteratorType> iterators(4,
                                                 utils::IteratorType::parallel);
      iterators.append(2, utils::IteratorType::reduction);
      result =
          rewriter
              .create<linalg::GenericOp>(
                  loc, TypeRange{type}, ValueRange{window.input, window.kernel},
                  ValueRange{init}, maps, iterators,
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    b.create<linalg::YieldOp>(
                        l, createMax(b, l, kind, args[2], args[0]));
                  })
              .getResult(0);
    }
    rewriter.replaceOp(op, result);
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

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    if (getElementKind(op.getType()) != ElementKind::Float)
      return op.emitOpError("integer average pooling is not supported (ONNX "
                            "AveragePool and TensorFlow AvgPool are float "
                            "only), got ")
             << op.getType();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    TypedAttr zero = rewriter.getZeroAttr(elementType);
    PoolWindow window =
        preparePool(op, adaptor.getInput(), type, zero, rewriter);
    Value init = createFilled(rewriter, loc, type, zero);
    Value sum =
        rewriter
            .create<linalg::PoolingNchwSumOp>(
                loc, TypeRange{type}, ValueRange{window.input, window.kernel},
                ValueRange{init}, getI64TensorAttr(rewriter, op.getStrides()),
                getI64TensorAttr(rewriter, op.getDilations()))
            .getResult(0);

    // Divisors, separable into a row and a column factor: with
    // count_include_pad the explicit pads count (but not the ceil_mode
    // overhang past them, as in onnxruntime); without it only the input.
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      dilations = op.getDilations(), padding = op.getPadding();
    auto inputType = op.getInput().getType();
    SmallVector<SmallVector<int64_t>> counts;
    for (int d = 0; d < 2; ++d) {
      int64_t size = inputType.getDimSize(2 + d);
      int64_t lo = op.getCountIncludePad() ? -padding[d] : 0;
      int64_t hi = op.getCountIncludePad() ? size + padding[2 + d] : size;
      counts.push_back(countTaps(type.getDimSize(2 + d), kernel[d], strides[d],
                                 dilations[d], padding[d], lo, hi));
    }
    auto isUniform = [](ArrayRef<int64_t> values) {
      return llvm::all_equal(values);
    };
    Value result;
    if (isUniform(counts[0]) && isUniform(counts[1])) {
      int64_t area = (counts[0].empty() ? 1 : counts[0][0]) *
                     (counts[1].empty() ? 1 : counts[1][0]);
      TypedAttr divisor = getScalarAttr(elementType, area);
      result =
          createElementwise(rewriter, loc, type, {sum},
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              return b.create<arith::DivFOp>(
                                  l, args[0], createScalar(b, l, divisor));
                            });
    } else {
      SmallVector<Value> factors;
      for (int d = 0; d < 2; ++d) {
        SmallVector<Attribute> values;
        for (int64_t count : counts[d])
          values.push_back(getScalarAttr(elementType, count));
        auto factorType = RankedTensorType::get(
            {static_cast<int64_t>(values.size())}, elementType);
        factors.push_back(rewriter.create<arith::ConstantOp>(
            loc, DenseElementsAttr::get(factorType, values)));
      }
      SmallVector<AffineMap> maps = {
          AffineMap::getMultiDimIdentityMap(4, ctx),
          AffineMap::get(4, 0, getAffineDimExpr(2, ctx)),
          AffineMap::get(4, 0, getAffineDimExpr(3, ctx))};
      result = createMappedGeneric(
          rewriter, loc, type, {sum, factors[0], factors[1]}, maps,
          [](OpBuilder &b, Location l, ValueRange args) {
            Value count = b.create<arith::MulFOp>(l, args[1], args[2]);
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
  patterns.add<Conv2DLowering, MaxPool2DLowering, AvgPool2DLowering,
               GlobalAvgPoolLowering>(converter, patterns.getContext());
}
