//===- NeuralNetRules.cpp - Import of ONNX neural network ops -------------===//
//
// Part of Kiln. MatMul and Gemm, convolution and pooling (with ONNX's
// auto_pad rules) and batch normalization, each with the attribute
// defaults and semantics of the model's opset. Softmax and the reductions
// are in ReductionRules.cpp.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/ConvWindow.h"
#include "compiler/frontends/onnx/NodeContext.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln::onnx;

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

static void importMatMul(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  ctx.setOutput(0,
                ctx.create<kiln::MatMulOp>(ctx.getInput(0), ctx.getInput(1)));
}

/// Y = alpha * op(A) * op(B) + beta * C, with op() an optional transpose.
static void importGemm(NodeContext &ctx) {
  if (!ctx.checkNumInputs(ctx.getOpset() >= 11 ? 2 : 3, 3))
    return;
  Value a = ctx.getInput(0), b = ctx.getInput(1);
  float alpha = ctx.getFloat("alpha", 1.0f), beta = ctx.getFloat("beta", 1.0f);
  bool transA = ctx.getInt("transA", 0), transB = ctx.getInt("transB", 0);
  if (!a || !b || ctx.hasFailed())
    return;
  for (Value operand : {a, b}) {
    if (cast<RankedTensorType>(operand.getType()).getRank() != 2) {
      ctx.emitError() << "A and B must be 2-D, got " << operand.getType();
      return;
    }
  }
  if (transA)
    a = ctx.create<kiln::TransposeOp>(a, ArrayRef<int64_t>{1, 0});
  if (transB)
    b = ctx.create<kiln::TransposeOp>(b, ArrayRef<int64_t>{1, 0});
  Value y = ctx.create<kiln::MatMulOp>(a, b);
  if (!y)
    return;
  Type elementType = cast<RankedTensorType>(y.getType()).getElementType();
  if (alpha != 1.0f)
    y = ctx.create<kiln::MulOp>(y, ctx.createScalar(alpha, elementType));
  if (ctx.hasInput(2) && beta != 0.0f) {
    Value c = ctx.getInput(2);
    if (c && beta != 1.0f)
      c = ctx.create<kiln::MulOp>(c, ctx.createScalar(beta, elementType));
    y = ctx.create<kiln::AddOp>(y, c);
    // C broadcasts unidirectionally: it must not grow the result.
    if (y && cast<RankedTensorType>(y.getType()).getRank() != 2) {
      ctx.emitError() << "C does not broadcast to the result shape";
      return;
    }
  }
  ctx.setOutput(0, y);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

static void importConv(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType input = requireSpatialInput(ctx);
  RankedTensorType filter = ctx.getInputType(1);
  if (!input || !filter)
    return;
  auto window = getConvWindow(ctx, input, filter);
  if (!window)
    return;
  Value bias = ctx.hasInput(2) ? ctx.getInput(2) : Value();
  ctx.setOutput(
      0, createConv(ctx, ctx.getInput(0), ctx.getInput(1), bias, *window));
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// A splat constant of `type` holding zero.
static Value createZeros(NodeContext &ctx, RankedTensorType type) {
  auto attr = DenseElementsAttr::get(
      type, ctx.getBuilder().getZeroAttr(type.getElementType()));
  return ctx.getBuilder().create<kiln::ConstantOp>(ctx.getLoc(), type, attr);
}

static void importConvTranspose(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType input = requireSpatialInput(ctx);
  RankedTensorType filter = ctx.getInputType(1);
  if (!input || !filter)
    return;
  if (!input.hasStaticShape() || !filter.hasStaticShape()) {
    ctx.emitUnsupported() << "ConvTranspose of dynamic shapes";
    return;
  }
  auto kernel = getFilterKernel(ctx, input, filter);
  if (!kernel)
    return;
  unsigned rank = kernel->size();
  auto strides = getSpatialInts(ctx, "strides", rank, 1);
  auto dilations = getSpatialInts(ctx, "dilations", rank, 1);
  auto outputPadding = getSpatialInts(ctx, "output_padding", rank, 0);
  auto groups = getGroups(ctx);
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (!strides || !dilations || !outputPadding || !groups ||
      !checkWindowValues(ctx, "strides", *strides, 1) ||
      !checkWindowValues(ctx, "dilations", *dilations, 1) ||
      !checkWindowValues(ctx, "output_padding", *outputPadding, 0))
    return;
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    ctx.emitError() << "unknown auto_pad '" << autoPad << "'";
    return;
  }
  int64_t channels = input.getDimSize(1);
  if (filter.getDimSize(0) != channels || channels % *groups != 0) {
    ctx.emitError() << "filter " << filter << " does not match the " << channels
                    << " input channels in " << *groups << " group(s)";
    return;
  }
  for (unsigned d = 0; d < rank; ++d) {
    if ((*outputPadding)[d] >= std::max((*strides)[d], (*dilations)[d])) {
      ctx.emitError() << "output_padding " << (*outputPadding)[d]
                      << " must be smaller than the stride or the dilation";
      return;
    }
  }

  // Leading and trailing pads of the result, per spatial dimension.
  SmallVector<int64_t> head(rank, 0), tail(rank, 0);
  std::optional<std::vector<int64_t>> outputShape = ctx.getInts("output_shape");
  if (ctx.hasFailed())
    return;
  if (outputShape) {
    // Either the spatial sizes or the whole shape.
    if (outputShape->size() == rank + 2)
      outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
    if (outputShape->size() != rank) {
      ctx.emitError() << "output_shape has " << outputShape->size()
                      << " values, expected " << rank;
      return;
    }
    if (!checkWindowValues(ctx, "output_shape", *outputShape, 1))
      return;
  } else if (autoPad == "NOTSET") {
    auto pads = getSpatialInts(ctx, "pads", 2 * rank, 0);
    if (!pads || !checkWindowValues(ctx, "pads", *pads, 0))
      return;
    head.assign(pads->begin(), pads->begin() + rank);
    tail.assign(pads->begin() + rank, pads->end());
  }
  for (unsigned d = 0; d < rank; ++d) {
    int64_t in = input.getDimSize(2 + d);
    int64_t full = (in - 1) * (*strides)[d] + (*outputPadding)[d] +
                   ((*kernel)[d] - 1) * (*dilations)[d] + 1;
    if (full - head[d] - tail[d] <= 0 && !outputShape && autoPad == "NOTSET") {
      ctx.emitError() << "pads " << head[d] << " and " << tail[d]
                      << " leave no output in spatial dimension " << d;
      return;
    }
    int64_t wanted = -1;
    if (outputShape)
      wanted = (*outputShape)[d];
    else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
      wanted = in * (*strides)[d];
    if (wanted < 0)
      continue;
    // The total padding is split evenly, the odd one at the end for
    // SAME_UPPER, at the start otherwise (the ONNX specification, and
    // onnxruntime). A result larger than the kernel's reach grows at the end
    // (positions no input reaches hold the bias), as in the ONNX reference.
    int64_t total = full - wanted;
    if (total < 0) {
      head[d] = 0;
      tail[d] = total;
      continue;
    }
    int64_t small = total / 2, large = total - small;
    head[d] = autoPad == "SAME_UPPER" ? small : large;
    tail[d] = autoPad == "SAME_UPPER" ? large : small;
  }

  // A result larger than the kernel's reach (negative trailing pad) grows
  // through output_padding.
  SmallVector<int64_t> padding(head), extra(*outputPadding);
  for (unsigned d = 0; d < rank; ++d) {
    padding.push_back(std::max<int64_t>(0, tail[d]));
    extra[d] += std::max<int64_t>(0, -tail[d]);
  }
  Value bias = ctx.hasInput(2) ? ctx.getInput(2) : Value();
  ctx.setOutput(0, ctx.create<kiln::ConvTransposeOp>(
                       ctx.getInput(0), ctx.getInput(1), bias, *strides,
                       padding, extra, *dilations, *groups));
}

/// Col2Im: sums the column blocks [N, C * prod(block), L] back into an
/// image [N, C, image...]. That is a transposed convolution of the blocks
/// viewed as [N, C * K, L1, ..., Lk] with C groups and a 0/1 filter that
/// routes block entry `k` to kernel offset `k`: exact, since each output
/// element is a plain sum of input elements.
static void importCol2Im(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  RankedTensorType type = ctx.getInputType(0);
  auto image = ctx.requireConstantInts(1, "image_shape");
  auto block = ctx.requireConstantInts(2, "block_shape");
  if (!type || !image || !block)
    return;
  unsigned rank = image->size();
  if (rank < 1 || rank > 3 || block->size() != rank) {
    ctx.emitUnsupported() << "Col2Im needs image_shape and block_shape of "
                             "one length in [1, 3], got "
                          << image->size() << " and " << block->size();
    return;
  }
  if (type.getRank() != 3 || !type.hasStaticShape() ||
      !isa<FloatType>(type.getElementType())) {
    ctx.emitError() << "input must be a float [N, C * prod(block_shape), L] "
                       "tensor with a static shape, got "
                    << type;
    return;
  }
  auto strides = getSpatialInts(ctx, "strides", rank, 1);
  auto dilations = getSpatialInts(ctx, "dilations", rank, 1);
  auto pads = getSpatialInts(ctx, "pads", 2 * rank, 0);
  if (!strides || !dilations || !pads ||
      !checkWindowValues(ctx, "strides", *strides, 1) ||
      !checkWindowValues(ctx, "dilations", *dilations, 1) ||
      !checkWindowValues(ctx, "pads", *pads, 0) ||
      !checkWindowValues(ctx, "image_shape", *image, 1) ||
      !checkWindowValues(ctx, "block_shape", *block, 1))
    return;
  int64_t kernelSize = 1;
  for (int64_t k : *block)
    kernelSize *= k;
  int64_t n = type.getDimSize(0), rows = type.getDimSize(1);
  if (kernelSize > kMaxWindowValue || rows % kernelSize != 0) {
    ctx.emitError() << "input dimension 1 (" << rows
                    << ") is not a multiple of prod(block_shape) ("
                    << kernelSize << ")";
    return;
  }
  int64_t channels = rows / kernelSize;
  // Blocks per dimension, and what the reach of the last one leaves over.
  SmallVector<int64_t> blocks, extra;
  int64_t numBlocks = 1;
  for (unsigned d = 0; d < rank; ++d) {
    int64_t padded = (*image)[d] + (*pads)[d] + (*pads)[rank + d];
    int64_t reach = (*dilations)[d] * ((*block)[d] - 1) + 1;
    if (padded < reach) {
      ctx.emitError() << "block dimension " << d << " (" << (*block)[d]
                      << " with dilation " << (*dilations)[d]
                      << ") does not fit the padded image (" << padded << ")";
      return;
    }
    blocks.push_back((padded - reach) / (*strides)[d] + 1);
    extra.push_back(padded - ((blocks.back() - 1) * (*strides)[d] + reach));
    numBlocks *= blocks.back();
  }
  if (numBlocks != type.getDimSize(2)) {
    ctx.emitError() << "input has " << type.getDimSize(2)
                    << " blocks, image_shape, block_shape, pads, strides and "
                       "dilations give "
                    << numBlocks;
    return;
  }
  SmallVector<int64_t> filterShape = {rows, 1};
  filterShape.append(block->begin(), block->end());
  HostTensor filter(type.getElementType(), filterShape);
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t k = 0; k < kernelSize; ++k)
      filter.setFromDouble((c * kernelSize + k) * kernelSize + k, 1.0);
  SmallVector<int64_t> viewShape = {n, rows};
  viewShape.append(blocks);
  ctx.setOutput(0, ctx.create<kiln::ConvTransposeOp>(
                       ctx.createReshape(ctx.getInput(0), viewShape),
                       ctx.createConstant(filter), Value(), *strides, *pads,
                       extra, *dilations, channels));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Shared by MaxPool, AveragePool and LpPool.
struct PoolParams {
  SmallVector<int64_t> kernel, strides, dilations, padding;
  bool ceilMode = false;
};

static std::optional<PoolParams> getPoolParams(NodeContext &ctx,
                                               RankedTensorType input,
                                               bool hasDilations,
                                               bool hasCeilMode) {
  PoolParams params;
  unsigned rank = input.getRank() - 2;
  auto kernel = ctx.getInts("kernel_shape");
  if (!kernel || kernel->size() != rank) {
    if (!ctx.hasFailed())
      ctx.emitError() << "needs a " << rank << "-element 'kernel_shape'";
    return std::nullopt;
  }
  params.kernel.assign(kernel->begin(), kernel->end());
  auto strides = getSpatialInts(ctx, "strides", rank, 1);
  auto dilations = hasDilations ? getSpatialInts(ctx, "dilations", rank, 1)
                                : std::optional(SmallVector<int64_t>(rank, 1));
  if (!strides || !dilations ||
      !checkWindowValues(ctx, "kernel_shape", params.kernel, 1) ||
      !checkWindowValues(ctx, "strides", *strides, 1) ||
      !checkWindowValues(ctx, "dilations", *dilations, 1))
    return std::nullopt;
  params.strides = *strides;
  params.dilations = *dilations;
  auto padding =
      resolvePadding(ctx, input, params.kernel, *strides, *dilations);
  if (!padding)
    return std::nullopt;
  params.padding = *padding;
  params.ceilMode = hasCeilMode && ctx.getInt("ceil_mode", 0) != 0;
  if (ctx.hasFailed())
    return std::nullopt;
  return params;
}

/// Builds a 2-D or 3-D pool, or a 1-D one as a 2-D pool over a unit height.
template <typename Op2D, typename Op3D, typename... Extra>
static Value createPool(NodeContext &ctx, Value x, const PoolParams &params,
                        Extra... extra) {
  switch (params.kernel.size()) {
  case 1:
    return dropUnitHeight(
        ctx, ctx.create<Op2D>(
                 addUnitHeight(ctx, x), prependUnit(params.kernel, 1),
                 prependUnit(params.strides, 1), unitHeightPads(params.padding),
                 prependUnit(params.dilations, 1), params.ceilMode, extra...));
  case 2:
    return ctx.create<Op2D>(x, params.kernel, params.strides, params.padding,
                            params.dilations, params.ceilMode, extra...);
  default:
    return ctx.create<Op3D>(x, params.kernel, params.strides, params.padding,
                            params.dilations, params.ceilMode, extra...);
  }
}

static void importMaxPool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType input = requireSpatialInput(ctx);
  if (!input)
    return;
  auto params =
      getPoolParams(ctx, input, ctx.getOpset() >= 10, ctx.getOpset() >= 10);
  if (!params)
    return;
  ctx.setOutput(0, createPool<kiln::MaxPool2DOp, kiln::MaxPool3DOp>(
                       ctx, ctx.getInput(0), *params));
  if (!ctx.isOutputUsed(1))
    return;
  // The Indices output (opset 8+): flat positions of the maxima.
  int64_t storageOrder = ctx.getInt("storage_order", 0);
  if (ctx.hasFailed())
    return;
  if (storageOrder != 0 && storageOrder != 1) {
    ctx.emitError() << "storage_order must be 0 or 1, got " << storageOrder;
    return;
  }
  if (!input.hasStaticShape()) {
    ctx.emitUnsupported() << "the Indices output of a dynamic shape";
    return;
  }
  ctx.setOutput(1, ctx.create<kiln::MaxPoolIndicesOp>(
                       ctx.getInput(0), params->kernel, params->strides,
                       params->padding, params->dilations, params->ceilMode,
                       storageOrder == 1));
}

/// MaxUnpool: a zero tensor of the output shape with X scattered to the
/// flat positions in I (as MaxPool's Indices output gives them).
static void importMaxUnpool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType input = requireSpatialInput(ctx);
  RankedTensorType indicesType = ctx.getInputType(1);
  if (!input || !indicesType)
    return;
  if (!indicesType.getElementType().isInteger(64)) {
    ctx.emitError() << "indices must be an int64 tensor, got " << indicesType;
    return;
  }
  if (!input.hasStaticShape() || indicesType.getShape() != input.getShape()) {
    if (!input.hasStaticShape())
      ctx.emitUnsupported() << "MaxUnpool of the dynamic shape " << input;
    else
      ctx.emitError() << "indices " << indicesType
                      << " must have the shape of X, " << input;
    return;
  }
  unsigned rank = input.getRank() - 2;
  auto kernel = ctx.getInts("kernel_shape");
  if (!kernel || kernel->size() != rank) {
    if (!ctx.hasFailed())
      ctx.emitError() << "needs a " << rank << "-element 'kernel_shape'";
    return;
  }
  auto strides = getSpatialInts(ctx, "strides", rank, 1);
  auto pads = getSpatialInts(ctx, "pads", 2 * rank, 0);
  if (!strides || !pads ||
      !checkWindowValues(ctx, "kernel_shape", *kernel, 1) ||
      !checkWindowValues(ctx, "strides", *strides, 1) ||
      !checkWindowValues(ctx, "pads", *pads, 0))
    return;
  // The indices are flat positions in MaxPool's input, whose shape is
  // output_shape when given (as in onnxruntime and PyTorch's max_unpool;
  // the ONNX reference instead scatters into the inferred shape and pads
  // it to output_shape), else (in - 1) * stride + kernel - pads.
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  if (ctx.hasInput(2)) {
    auto values = ctx.requireConstantInts(2, "output_shape");
    if (!values)
      return;
    if (static_cast<int64_t>(values->size()) != input.getRank() ||
        (*values)[0] != input.getDimSize(0) ||
        (*values)[1] != input.getDimSize(1)) {
      ctx.emitError() << "output_shape must have " << input.getRank()
                      << " values starting with N and C of X";
      return;
    }
    shape.assign(values->begin(), values->end());
  } else {
    for (unsigned d = 0; d < rank; ++d)
      shape.push_back((input.getDimSize(2 + d) - 1) * (*strides)[d] +
                      (*kernel)[d] - (*pads)[d] - (*pads)[rank + d]);
  }
  for (int64_t size : shape) {
    if (size <= 0 || size > kMaxWindowValue) {
      ctx.emitError() << "output dimension " << size << " is out of range";
      return;
    }
  }
  auto total = kiln::numElements(shape);
  auto count = kiln::numElements(input.getShape());
  if (!total || !count) {
    ctx.emitError() << "output shape is too large";
    return;
  }
  Value zeros =
      createZeros(ctx, RankedTensorType::get({*total}, input.getElementType()));
  Value indices = ctx.createReshape(ctx.getInput(1), {*count, 1});
  Value updates = ctx.createReshape(ctx.getInput(0), {*count});
  Value flat = ctx.create<kiln::ScatterNDOp>(zeros, indices, updates,
                                             kiln::ScatterReduction::none);
  Value y = ctx.createReshape(flat, shape);
  ctx.setOutput(0, y);
}

static void importAveragePool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType input = requireSpatialInput(ctx);
  if (!input)
    return;
  auto params =
      getPoolParams(ctx, input, ctx.getOpset() >= 19, ctx.getOpset() >= 10);
  if (!params)
    return;
  bool countIncludePad = ctx.getInt("count_include_pad", 0) != 0;
  if (ctx.hasFailed())
    return;
  ctx.setOutput(0, createPool<kiln::AvgPool2DOp, kiln::AvgPool3DOp>(
                       ctx, ctx.getInput(0), *params, countIncludePad));
}

/// Reads LpPool's `p` (an int from opset 2, a float before).
static std::optional<double> getLpNorm(NodeContext &ctx) {
  if (ctx.getOpset() >= 2) {
    int64_t p = ctx.getInt("p", 2);
    if (ctx.hasFailed())
      return std::nullopt;
    if (p <= 0) {
      ctx.emitError() << "p must be positive, got " << p;
      return std::nullopt;
    }
    return static_cast<double>(p);
  }
  double p = ctx.getFloat("p", 2.0f);
  if (ctx.hasFailed())
    return std::nullopt;
  if (!(p > 0) || !std::isfinite(p)) {
    ctx.emitError() << "p must be positive and finite, got " << p;
    return std::nullopt;
  }
  return p;
}

/// |x|^p (x * x for p = 2, |x| for p = 1).
static Value createAbsPow(NodeContext &ctx, Value x, double p) {
  Type elementType = cast<RankedTensorType>(x.getType()).getElementType();
  if (p == 2)
    return ctx.create<kiln::MulOp>(x, x);
  Value magnitude = ctx.create<kiln::AbsOp>(x);
  if (p == 1)
    return magnitude;
  return ctx.create<kiln::PowOp>(magnitude, ctx.createScalar(p, elementType));
}

/// y^(1/p) (sqrt for p = 2).
static Value createRoot(NodeContext &ctx, Value y, double p) {
  Type elementType = cast<RankedTensorType>(y.getType()).getElementType();
  if (p == 1)
    return y;
  if (p == 2)
    return ctx.create<kiln::SqrtOp>(y);
  return ctx.create<kiln::PowOp>(y, ctx.createScalar(1.0 / p, elementType));
}

/// LpPool: (sum over the window of |x|^p)^(1/p), pads counting as zeros;
/// the sum is an average pool with the padding counted, times the window
/// size.
static void importLpPool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType input = requireSpatialInput(ctx);
  if (!input)
    return;
  if (!isa<FloatType>(input.getElementType())) {
    ctx.emitError() << "input must be a float tensor, got " << input;
    return;
  }
  auto p = getLpNorm(ctx);
  if (!p)
    return;
  auto params =
      getPoolParams(ctx, input, ctx.getOpset() >= 18, ctx.getOpset() >= 18);
  if (!params)
    return;
  if (params->ceilMode) {
    // The ceil_mode overhang past the pads is not a full window.
    ctx.emitUnsupported() << "ceil_mode = 1";
    return;
  }
  int64_t volume = 1;
  for (int64_t k : params->kernel)
    volume *= k;
  Value powered = createAbsPow(ctx, ctx.getInput(0), *p);
  Value mean = createPool<kiln::AvgPool2DOp, kiln::AvgPool3DOp>(
      ctx, powered, *params, /*countIncludePad=*/true);
  if (!mean)
    return;
  Value sum = ctx.create<kiln::MulOp>(
      mean,
      ctx.createScalar(static_cast<double>(volume), input.getElementType()));
  ctx.setOutput(0, createRoot(ctx, sum, *p));
}

static void importGlobalLpPool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  if (type.getRank() < 3 || !isa<FloatType>(type.getElementType())) {
    ctx.emitError() << "input must be a float tensor of rank >= 3, got "
                    << type;
    return;
  }
  auto p = getLpNorm(ctx);
  if (!p)
    return;
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  Value sum = ctx.create<kiln::ReduceSumOp>(
      createAbsPow(ctx, ctx.getInput(0), *p), axes, /*keep_dims=*/true);
  ctx.setOutput(0, createRoot(ctx, sum, *p));
}

static void importGlobalAveragePool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  ctx.setOutput(0, ctx.create<kiln::GlobalAvgPoolOp>(ctx.getInput(0)));
}

static void importGlobalMaxPool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  if (type.getRank() < 3) {
    ctx.emitError() << "input must have rank >= 3, got " << type;
    return;
  }
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  ctx.setOutput(0, ctx.create<kiln::ReduceMaxOp>(ctx.getInput(0), axes,
                                                 /*keep_dims=*/true));
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//
//
// With static shapes every output position of a resized axis reads a fixed
// set of input positions with fixed weights, so the importer computes them
// (following the ONNX reference implementation, axis by axis: the
// interpolation is separable) and emits, per resized axis and per tap, a
// kiln.gather of constant indices and a multiply by constant weights, summed.
// Nearest resizing is a single gather.

namespace {
enum class ResizeMode { Nearest, Linear, Cubic };

struct ResizeAttrs {
  ResizeMode mode = ResizeMode::Nearest;
  std::string transform = "half_pixel";
  std::string nearestMode = "round_prefer_floor";
  double cubicA = -0.75;
  bool excludeOutside = false;
  double extrapolation = 0.0;
  bool antialias = false;
  /// Upsample and Resize-10: asymmetric coordinates and onnxruntime's
  /// "simple" nearest rounding (floor, or ceil when downsampling).
  bool legacy = false;
};

/// One resized axis: sizes, scale and (tf_crop_and_resize) region.
struct ResizeAxis {
  int64_t axis = 0, inSize = 0, outSize = 0;
  double scale = 1.0, roiStart = 0.0, roiEnd = 1.0;
};

/// Per output position, `numTaps` (index, weight) pairs and whether the
/// position lies outside the crop region (tf_crop_and_resize).
struct AxisTaps {
  int64_t numTaps = 0;
  std::vector<int64_t> indices;
  std::vector<double> weights;
  std::vector<bool> extrapolated;
};
} // namespace

/// Largest number of taps per output position (antialiased downsampling
/// by a large factor reads many).
static constexpr int64_t kMaxResizeTaps = 64;

/// Largest resized dimension: its index and weight tables are built at
/// import.
static constexpr int64_t kMaxResizeOutput = int64_t(1) << 24;

/// The input coordinate of output position `y`.
static double resizeSourceCoordinate(const ResizeAttrs &attrs,
                                     const ResizeAxis &axis, double y,
                                     bool &extrapolated) {
  double in = static_cast<double>(axis.inSize);
  double outWidth = axis.scale * in;
  extrapolated = false;
  const std::string &mode = attrs.transform;
  if (attrs.legacy || mode == "asymmetric")
    return y / axis.scale;
  if (mode == "align_corners")
    return outWidth == 1 ? 0.0 : y * (in - 1) / (outWidth - 1);
  if (mode == "tf_crop_and_resize") {
    double x = outWidth == 1 ? (axis.roiEnd - axis.roiStart) * (in - 1) / 2
                             : y * (axis.roiEnd - axis.roiStart) * (in - 1) /
                                   (outWidth - 1);
    x += axis.roiStart * (in - 1);
    extrapolated = x < 0 || x > in - 1;
    return x;
  }
  if (mode == "pytorch_half_pixel")
    return outWidth == 1 ? -0.5 : (y + 0.5) / axis.scale - 0.5;
  if (mode == "half_pixel_symmetric") {
    double adjustment = static_cast<double>(axis.outSize) / outWidth;
    double offset = in / 2 * (1 - adjustment);
    return offset + (y + 0.5) / axis.scale - 0.5;
  }
  if (mode == "tf_half_pixel_for_nn")
    return (y + 0.5) / axis.scale;
  return (y + 0.5) / axis.scale - 0.5; // half_pixel
}

/// Keys cubic convolution kernel with parameter `a`.
static double cubicKernel(double x, double a) {
  x = std::fabs(x);
  if (x <= 1)
    return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2)
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0.0;
}

/// Interpolation weights for the fractional position `ratio` in (0, 1].
static SmallVector<double> resizeCoefficients(const ResizeAttrs &attrs,
                                              double ratio, double scale) {
  SmallVector<double> coeffs;
  bool linear = attrs.mode == ResizeMode::Linear;
  if (!attrs.antialias) {
    if (linear)
      return {1 - ratio, ratio};
    for (double x : {ratio + 1, ratio, 1 - ratio, 2 - ratio})
      coeffs.push_back(cubicKernel(x, attrs.cubicA));
    return coeffs;
  }
  // Antialiasing stretches the kernel by 1 / scale when downsampling.
  double s = std::min(scale, 1.0);
  double support = linear ? 1.0 : 2.0;
  int64_t start = static_cast<int64_t>(std::floor(-support / s)) + 1;
  int64_t end = 2 - start;
  double sum = 0;
  for (int64_t i = start; i < end; ++i) {
    double x = s * (static_cast<double>(i) - ratio);
    double c = linear ? std::clamp(1 - std::fabs(x), 0.0, 1.0)
                      : cubicKernel(x, attrs.cubicA);
    coeffs.push_back(c);
    sum += c;
  }
  for (double &c : coeffs)
    c /= sum;
  return coeffs;
}

/// The nearest input index of coordinate `x`.
static int64_t resizeNearest(const ResizeAttrs &attrs, double x, double scale) {
  double lower = std::floor(x);
  if (attrs.legacy)
    return static_cast<int64_t>(scale < 1 ? std::ceil(x) : std::trunc(x));
  if (x == lower)
    return static_cast<int64_t>(x);
  double ratio = x - lower;
  bool up;
  if (attrs.nearestMode == "round_prefer_ceil")
    up = ratio >= 0.5;
  else if (attrs.nearestMode == "floor")
    up = false;
  else if (attrs.nearestMode == "ceil")
    up = true;
  else // round_prefer_floor
    up = ratio > 0.5;
  return static_cast<int64_t>(lower) + (up ? 1 : 0);
}

static AxisTaps computeResizeTaps(const ResizeAttrs &attrs,
                                  const ResizeAxis &axis) {
  AxisTaps taps;
  int64_t last = axis.inSize - 1;
  for (int64_t y = 0; y < axis.outSize; ++y) {
    bool extrapolated;
    double x = resizeSourceCoordinate(attrs, axis, static_cast<double>(y),
                                      extrapolated);
    taps.extrapolated.push_back(extrapolated);
    if (attrs.mode == ResizeMode::Nearest) {
      taps.numTaps = 1;
      taps.indices.push_back(
          std::clamp<int64_t>(resizeNearest(attrs, x, axis.scale), 0, last));
      taps.weights.push_back(1.0);
      continue;
    }
    // The taps are the n input positions around x: base - n/2 + 1 ...
    // base + n/2, with base = floor(x) (x - 1 for an integer x, so that
    // ratio = x - base is in (0, 1] and an integer x reads itself through
    // the tap with weight ratio = 1). The kernels' footprints are even.
    double base = std::floor(x);
    if (base == x)
      base -= 1;
    double ratio = x - base;
    SmallVector<double> coeffs = resizeCoefficients(attrs, ratio, axis.scale);
    int64_t n = coeffs.size();
    taps.numTaps = n;
    int64_t start = static_cast<int64_t>(base) - n / 2 + 1;
    if (attrs.excludeOutside) {
      double sum = 0;
      for (int64_t j = 0; j < n; ++j) {
        if (start + j < 0 || start + j > last)
          coeffs[j] = 0;
        sum += coeffs[j];
      }
      if (sum != 0)
        for (double &c : coeffs)
          c /= sum;
    }
    for (int64_t j = 0; j < n; ++j) {
      taps.indices.push_back(std::clamp<int64_t>(start + j, 0, last));
      taps.weights.push_back(coeffs[j]);
    }
  }
  return taps;
}

/// True when the taps copy the input unchanged.
static bool isIdentity(const AxisTaps &taps, const ResizeAxis &axis) {
  if (axis.outSize != axis.inSize ||
      llvm::is_contained(taps.extrapolated, true))
    return false;
  for (int64_t y = 0; y < axis.outSize; ++y) {
    double own = 0;
    for (int64_t j = 0; j < taps.numTaps; ++j) {
      int64_t k = y * taps.numTaps + j;
      if (taps.indices[k] == y)
        own += taps.weights[k];
      else if (taps.weights[k] != 0)
        return false;
    }
    if (own != 1)
      return false;
  }
  return true;
}

/// Resizes `x` along one axis with the given taps.
static Value applyResizeTaps(NodeContext &ctx, Value x, const ResizeAxis &axis,
                             const AxisTaps &taps, const ResizeAttrs &attrs) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  int64_t out = axis.outSize;
  // Broadcasts a per-output-position table along the following axes.
  SmallVector<int64_t> tableShape = {out};
  tableShape.append(type.getRank() - axis.axis - 1, 1);
  Value result;
  for (int64_t j = 0; j < taps.numTaps; ++j) {
    std::vector<int64_t> indices;
    HostTensor weights(elementType, tableShape);
    bool allZero = true, allOne = true;
    for (int64_t y = 0; y < out; ++y) {
      int64_t k = y * taps.numTaps + j;
      indices.push_back(taps.indices[k]);
      weights.setFromDouble(y, taps.weights[k]);
      allZero &= taps.weights[k] == 0;
      allOne &= taps.weights[k] == 1;
    }
    if (allZero)
      continue;
    Value gathered =
        ctx.create<kiln::GatherOp>(x,
                                   ctx.createConstant(HostTensor::ofInt64s(
                                       ctx.getContext(), indices, {out})),
                                   axis.axis);
    Value term =
        allOne ? gathered
               : ctx.create<kiln::MulOp>(gathered, ctx.createConstant(weights));
    result = result ? ctx.create<kiln::AddOp>(result, term) : term;
  }
  if (!result) // Every weight is zero (exclude_outside with no input).
    result = ctx.create<kiln::MulOp>(
        ctx.create<kiln::GatherOp>(
            x,
            ctx.createConstant(HostTensor::ofInt64s(
                ctx.getContext(), std::vector<int64_t>(out, 0), {out})),
            axis.axis),
        ctx.createScalar(0.0, elementType));
  if (llvm::is_contained(taps.extrapolated, true)) {
    HostTensor mask(IntegerType::get(ctx.getContext(), 1), tableShape);
    for (int64_t y = 0; y < out; ++y)
      mask.setFromInt(y, taps.extrapolated[y]);
    result = ctx.create<kiln::SelectOp>(
        ctx.createConstant(mask),
        ctx.createScalar(attrs.extrapolation, elementType), result);
  }
  return result;
}

/// Reads the float contents of an optional constant input; an omitted or
/// empty input gives an empty list.
static std::optional<std::vector<double>>
getConstantFloats(NodeContext &ctx, unsigned i, StringRef what) {
  if (!ctx.hasInput(i))
    return std::vector<double>();
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return std::nullopt;
  if (type.hasStaticShape() && type.getNumElements() == 0)
    return std::vector<double>();
  const HostTensor *tensor = ctx.getConstantInput(i);
  if (ctx.hasFailed())
    return std::nullopt;
  if (!tensor) {
    ctx.emitUnsupported() << what << " that are not known at compile time";
    return std::nullopt;
  }
  std::vector<double> values;
  for (int64_t k = 0; k < tensor->size(); ++k)
    values.push_back(tensor->getDouble(k));
  return values;
}

/// Shared by Resize and Upsample once the attributes and the scales or
/// sizes are known.
static void importResizeWith(NodeContext &ctx, const ResizeAttrs &attrs,
                             std::vector<double> scales,
                             std::vector<int64_t> sizes,
                             std::vector<double> roi,
                             std::vector<int64_t> axesAttr,
                             StringRef aspectPolicy) {
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  int64_t rank = type.getRank();
  if (!type.hasStaticShape()) {
    ctx.emitUnsupported() << "resizing the dynamic shape " << type;
    return;
  }
  if (attrs.mode != ResizeMode::Nearest &&
      !isa<FloatType>(type.getElementType())) {
    ctx.emitUnsupported() << "linear or cubic resizing of " << type;
    return;
  }
  SmallVector<int64_t> axes;
  if (axesAttr.empty()) {
    axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  } else {
    for (int64_t a : axesAttr) {
      auto axis = ctx.normalizeAxis(a, rank, "axes");
      if (!axis)
        return;
      if (llvm::is_contained(axes, *axis)) {
        ctx.emitError() << "axis " << a << " is repeated in 'axes'";
        return;
      }
      axes.push_back(*axis);
    }
  }
  size_t n = axes.size();
  if (scales.empty() == sizes.empty()) {
    ctx.emitError() << "exactly one of 'scales' and 'sizes' must be given";
    return;
  }
  if (!scales.empty() && scales.size() != n) {
    ctx.emitError() << "'scales' has " << scales.size() << " values, expected "
                    << n;
    return;
  }
  if (!sizes.empty() && sizes.size() != n) {
    ctx.emitError() << "'sizes' has " << sizes.size() << " values, expected "
                    << n;
    return;
  }
  if (!roi.empty() && roi.size() != 2 * n) {
    ctx.emitError() << "'roi' has " << roi.size() << " values, expected "
                    << 2 * n;
    return;
  }
  if (attrs.transform == "tf_crop_and_resize" && roi.empty()) {
    ctx.emitError() << "tf_crop_and_resize needs a 'roi'";
    return;
  }
  SmallVector<ResizeAxis> resized(n);
  for (size_t i = 0; i < n; ++i) {
    ResizeAxis &axis = resized[i];
    axis.axis = axes[i];
    axis.inSize = type.getDimSize(axes[i]);
    if (!roi.empty()) {
      axis.roiStart = roi[i];
      axis.roiEnd = roi[n + i];
      if (!std::isfinite(axis.roiStart) || !std::isfinite(axis.roiEnd)) {
        ctx.emitError() << "'roi' values must be finite";
        return;
      }
    }
    if (!scales.empty()) {
      axis.scale = scales[i];
      if (!(axis.scale > 0) || !std::isfinite(axis.scale)) {
        ctx.emitError() << "scales must be positive and finite, got "
                        << axis.scale;
        return;
      }
      double size = axis.scale * static_cast<double>(axis.inSize);
      if (size > static_cast<double>(kMaxWindowValue)) {
        ctx.emitUnsupported() << "a resized dimension of " << size;
        return;
      }
      axis.outSize = static_cast<int64_t>(size);
    } else {
      if (sizes[i] <= 0 || sizes[i] > kMaxWindowValue) {
        ctx.emitError() << "sizes must be in [1, " << kMaxWindowValue
                        << "], got " << sizes[i];
        return;
      }
      axis.outSize = sizes[i];
    }
    if (axis.inSize == 0) {
      ctx.emitUnsupported() << "resizing an empty dimension";
      return;
    }
  }
  if (!sizes.empty()) {
    for (ResizeAxis &axis : resized)
      axis.scale =
          static_cast<double>(axis.outSize) / static_cast<double>(axis.inSize);
    if (aspectPolicy != "stretch") {
      if (aspectPolicy != "not_larger" && aspectPolicy != "not_smaller") {
        ctx.emitError() << "unknown keep_aspect_ratio_policy '" << aspectPolicy
                        << "'";
        return;
      }
      double scale = resized.front().scale;
      for (ResizeAxis &axis : resized)
        scale = aspectPolicy == "not_larger" ? std::min(scale, axis.scale)
                                             : std::max(scale, axis.scale);
      for (ResizeAxis &axis : resized) {
        axis.scale = scale;
        axis.outSize = static_cast<int64_t>(
            scale * static_cast<double>(axis.inSize) + 0.5);
      }
    }
  }
  Value x = ctx.getInput(0);
  for (ResizeAxis &axis : resized) {
    if (axis.outSize == 0) {
      ctx.emitUnsupported() << "a resize to an empty dimension";
      return;
    }
    if (axis.outSize > kMaxResizeOutput) {
      ctx.emitUnsupported() << "a resized dimension of " << axis.outSize
                            << " (at most " << kMaxResizeOutput << ")";
      return;
    }
    AxisTaps taps = computeResizeTaps(attrs, axis);
    if (taps.numTaps > kMaxResizeTaps) {
      ctx.emitUnsupported() << "antialiased resizing that reads "
                            << taps.numTaps << " inputs per output";
      return;
    }
    if (isIdentity(taps, axis))
      continue;
    x = applyResizeTaps(ctx, x, axis, taps, attrs);
    if (!x)
      return;
  }
  ctx.setOutput(0, x);
}

/// Reads `mode` ("nearest", "linear" or "cubic"; "bilinear" in Upsample-7).
static std::optional<ResizeMode> getResizeMode(NodeContext &ctx,
                                               bool allowCubic) {
  std::string mode = ctx.getString("mode", "nearest");
  if (ctx.hasFailed())
    return std::nullopt;
  if (mode == "nearest")
    return ResizeMode::Nearest;
  if (mode == "linear" || mode == "bilinear")
    return ResizeMode::Linear;
  if (mode == "cubic" && allowCubic)
    return ResizeMode::Cubic;
  ctx.emitError() << "unknown mode '" << mode << "'";
  return std::nullopt;
}

static void importResize(NodeContext &ctx) {
  int64_t opset = ctx.getOpset();
  if (!ctx.checkNumInputs(opset >= 13 ? 1 : 2, opset >= 11 ? 4 : 2))
    return;
  ResizeAttrs attrs;
  auto mode = getResizeMode(ctx, opset >= 11);
  if (!mode)
    return;
  attrs.mode = *mode;
  std::vector<double> scales, roi;
  std::vector<int64_t> sizes, axes;
  std::string aspectPolicy = "stretch";
  if (opset < 11) {
    attrs.legacy = true;
    auto values = getConstantFloats(ctx, 1, "scales");
    if (!values)
      return;
    scales = *values;
  } else {
    attrs.transform =
        ctx.getString("coordinate_transformation_mode", "half_pixel");
    attrs.nearestMode = ctx.getString("nearest_mode", "round_prefer_floor");
    attrs.cubicA = ctx.getFloat("cubic_coeff_a", -0.75f);
    attrs.excludeOutside = ctx.getInt("exclude_outside", 0) != 0;
    attrs.extrapolation = ctx.getFloat("extrapolation_value", 0.0f);
    if (opset >= 18) {
      attrs.antialias = ctx.getInt("antialias", 0) != 0;
      aspectPolicy = ctx.getString("keep_aspect_ratio_policy", "stretch");
      if (auto values = ctx.getInts("axes"))
        axes = *values;
    }
    if (ctx.hasFailed())
      return;
    static const char *const transforms[] = {
        "half_pixel",          "half_pixel_symmetric", "pytorch_half_pixel",
        "align_corners",       "asymmetric",           "tf_crop_and_resize",
        "tf_half_pixel_for_nn"};
    if (!llvm::is_contained(transforms, attrs.transform)) {
      ctx.emitError() << "unknown coordinate_transformation_mode '"
                      << attrs.transform << "'";
      return;
    }
    if (!llvm::is_contained({StringRef("round_prefer_floor"),
                             StringRef("round_prefer_ceil"), StringRef("floor"),
                             StringRef("ceil")},
                            StringRef(attrs.nearestMode))) {
      ctx.emitError() << "unknown nearest_mode '" << attrs.nearestMode << "'";
      return;
    }
    if (attrs.antialias && attrs.mode == ResizeMode::Nearest)
      attrs.antialias = false; // Nearest resizing ignores antialias.
    if (attrs.transform == "tf_crop_and_resize") {
      auto values = getConstantFloats(ctx, 1, "roi");
      if (!values)
        return;
      roi = *values;
    }
    auto scaleValues = getConstantFloats(ctx, 2, "scales");
    if (!scaleValues)
      return;
    scales = *scaleValues;
    if (ctx.hasInput(3)) {
      RankedTensorType sizesType = ctx.getInputType(3);
      if (!sizesType)
        return;
      if (!sizesType.hasStaticShape() || sizesType.getNumElements() != 0) {
        auto values = ctx.requireConstantInts(3, "sizes");
        if (!values)
          return;
        sizes = *values;
      }
    }
  }
  importResizeWith(ctx, attrs, scales, sizes, roi, axes, aspectPolicy);
}

static void importUpsample(NodeContext &ctx) {
  bool scalesInput = ctx.getOpset() >= 9;
  if (!ctx.checkNumInputs(scalesInput ? 2 : 1, scalesInput ? 2 : 1))
    return;
  ResizeAttrs attrs;
  attrs.legacy = true;
  auto mode = getResizeMode(ctx, /*allowCubic=*/false);
  if (!mode)
    return;
  attrs.mode = *mode;
  std::vector<double> scales;
  if (scalesInput) {
    auto values = getConstantFloats(ctx, 1, "scales");
    if (!values)
      return;
    scales = *values;
  } else {
    auto values = ctx.getFloats("scales");
    if (!values) {
      if (!ctx.hasFailed())
        ctx.emitError() << "needs a 'scales' attribute";
      return;
    }
    scales.assign(values->begin(), values->end());
  }
  importResizeWith(ctx, attrs, scales, {}, {}, {}, "stretch");
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

static void importBatchNormalization(NodeContext &ctx) {
  if (!ctx.checkNumInputs(5, 5))
    return;
  if (ctx.getOpset() >= 14 && ctx.getInt("training_mode", 0) != 0) {
    ctx.emitUnsupported() << "training_mode = 1 (Kiln compiles models for "
                             "inference)";
    return;
  }
  if (ctx.getOpset() < 7 && ctx.getInt("is_test", 0) == 0) {
    ctx.emitUnsupported() << "is_test = 0 (training mode)";
    return;
  }
  if (ctx.getOpset() < 9 && ctx.getInt("spatial", 1) != 1) {
    ctx.emitUnsupported() << "spatial = 0 (per-activation statistics)";
    return;
  }
  for (unsigned i = 1; i < ctx.getNumOutputs(); ++i) {
    if (ctx.isOutputUsed(i)) {
      ctx.emitUnsupported() << "training outputs (running statistics) are "
                               "used";
      return;
    }
  }
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  if (ctx.hasFailed())
    return;
  ctx.setOutput(0, ctx.create<kiln::BatchNormOp>(
                       ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
                       ctx.getInput(3), ctx.getInput(4),
                       ctx.getBuilder().getF32FloatAttr(epsilon)));
}

void mlir::kiln::onnx::addNeuralNetRules(ImportRuleMap &rules) {
  rules["MatMul"] = importMatMul;
  rules["Gemm"] = importGemm;
  rules["Conv"] = importConv;
  rules["MaxPool"] = importMaxPool;
  rules["AveragePool"] = importAveragePool;
  rules["GlobalAveragePool"] = importGlobalAveragePool;
  rules["GlobalMaxPool"] = importGlobalMaxPool;
  rules["ConvTranspose"] = importConvTranspose;
  rules["LpPool"] = importLpPool;
  rules["GlobalLpPool"] = importGlobalLpPool;
  rules["Resize"] = importResize;
  rules["MaxUnpool"] = importMaxUnpool;
  rules["Col2Im"] = importCol2Im;
  rules["Upsample"] = importUpsample;
  rules["BatchNormalization"] = importBatchNormalization;
}
