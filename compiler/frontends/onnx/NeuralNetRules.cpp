//===- NeuralNetRules.cpp - Import of ONNX neural network ops -------------===//
//
// Part of Kiln. MatMul and Gemm, convolution and pooling (with ONNX's
// auto_pad rules) and batch normalization, each with the attribute
// defaults and semantics of the model's opset. Softmax and the reductions
// are in ReductionRules.cpp.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "llvm/ADT/STLExtras.h"

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

/// Reads a per-spatial-dimension attribute (strides, dilations) of length 2.
static std::optional<SmallVector<int64_t>>
getSpatialInts(NodeContext &ctx, StringRef name, unsigned count,
               int64_t defaultValue) {
  auto values = ctx.getInts(name);
  if (ctx.hasFailed())
    return std::nullopt;
  if (!values)
    return SmallVector<int64_t>(count, defaultValue);
  if (values->size() != count) {
    ctx.emitError() << "attribute '" << name << "' has " << values->size()
                    << " values, expected " << count;
    return std::nullopt;
  }
  return SmallVector<int64_t>(values->begin(), values->end());
}

/// Checks the node works on a rank-4 (2-D spatial) input.
static RankedTensorType requireNCHW(NodeContext &ctx) {
  RankedTensorType type = ctx.getInputType(0);
  if (type && type.getRank() != 4) {
    ctx.emitUnsupported() << type.getRank() - 2
                          << " spatial dimension(s); Kiln supports 2-D "
                             "(NCHW) inputs";
    return nullptr;
  }
  return type;
}

/// Resolves ONNX `pads`/`auto_pad` to [top, left, bottom, right].
static std::optional<SmallVector<int64_t>>
resolvePadding(NodeContext &ctx, RankedTensorType input,
               ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations) {
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    auto pads = getSpatialInts(ctx, "pads", 4, 0);
    if (pads && llvm::any_of(*pads, [](int64_t p) { return p < 0; })) {
      ctx.emitError() << "pads must be non-negative";
      return std::nullopt;
    }
    return pads;
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t>(4, 0);
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    ctx.emitError() << "unknown auto_pad '" << autoPad << "'";
    return std::nullopt;
  }
  SmallVector<int64_t> pads(4, 0);
  for (int d = 0; d < 2; ++d) {
    int64_t in = input.getDimSize(2 + d);
    if (ShapedType::isDynamic(in)) {
      ctx.emitUnsupported() << autoPad << " padding of a dynamic dimension";
      return std::nullopt;
    }
    int64_t out = (in + strides[d] - 1) / strides[d];
    int64_t span = (kernel[d] - 1) * dilations[d] + 1;
    int64_t total = std::max<int64_t>(0, (out - 1) * strides[d] + span - in);
    int64_t small = total / 2, large = total - small;
    // SAME_UPPER puts the odd extra pad at the end, SAME_LOWER at the start.
    pads[d] = autoPad == "SAME_UPPER" ? small : large;
    pads[2 + d] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

static void importConv(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType input = requireNCHW(ctx);
  RankedTensorType filter = ctx.getInputType(1);
  if (!input || !filter)
    return;
  if (filter.getRank() != 4) {
    ctx.emitError() << "filter must be 4-D, got " << filter;
    return;
  }
  SmallVector<int64_t> kernel(filter.getShape().drop_front(2));
  if (auto declared = ctx.getInts("kernel_shape")) {
    if (!llvm::equal(*declared, kernel)) {
      ctx.emitError() << "kernel_shape does not match the filter's shape "
                      << filter;
      return;
    }
  }
  auto strides = getSpatialInts(ctx, "strides", 2, 1);
  auto dilations = getSpatialInts(ctx, "dilations", 2, 1);
  if (!strides || !dilations)
    return;
  auto padding = resolvePadding(ctx, input, kernel, *strides, *dilations);
  int64_t groups = ctx.getInt("group", 1);
  if (!padding || ctx.hasFailed())
    return;
  Value bias = ctx.hasInput(2) ? ctx.getInput(2) : Value();
  ctx.setOutput(0, ctx.create<kiln::Conv2DOp>(ctx.getInput(0), ctx.getInput(1),
                                              bias, *strides, *padding,
                                              *dilations, groups));
}

/// Shared by MaxPool and AveragePool; returns false after an error.
struct PoolParams {
  SmallVector<int64_t> kernel, strides, dilations, padding;
  bool ceilMode = false;
};

static std::optional<PoolParams>
getPoolParams(NodeContext &ctx, RankedTensorType input, bool hasDilations) {
  PoolParams params;
  auto kernel = ctx.getInts("kernel_shape");
  if (!kernel || kernel->size() != 2) {
    if (!ctx.hasFailed())
      ctx.emitError() << "needs a 2-element 'kernel_shape'";
    return std::nullopt;
  }
  params.kernel.assign(kernel->begin(), kernel->end());
  auto strides = getSpatialInts(ctx, "strides", 2, 1);
  auto dilations = hasDilations ? getSpatialInts(ctx, "dilations", 2, 1)
                                : std::optional(SmallVector<int64_t>(2, 1));
  if (!strides || !dilations)
    return std::nullopt;
  params.strides = *strides;
  params.dilations = *dilations;
  auto padding =
      resolvePadding(ctx, input, params.kernel, *strides, *dilations);
  if (!padding)
    return std::nullopt;
  params.padding = *padding;
  params.ceilMode = ctx.getOpset() >= 10 && ctx.getInt("ceil_mode", 0) != 0;
  if (ctx.hasFailed())
    return std::nullopt;
  return params;
}

static void importMaxPool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType input = requireNCHW(ctx);
  if (!input)
    return;
  if (ctx.isOutputUsed(1)) {
    ctx.emitUnsupported() << "the Indices output is used";
    return;
  }
  auto params = getPoolParams(ctx, input, ctx.getOpset() >= 10);
  if (!params)
    return;
  ctx.setOutput(0, ctx.create<kiln::MaxPool2DOp>(
                       ctx.getInput(0), params->kernel, params->strides,
                       params->padding, params->dilations, params->ceilMode));
}

static void importAveragePool(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType input = requireNCHW(ctx);
  if (!input)
    return;
  auto params = getPoolParams(ctx, input, ctx.getOpset() >= 19);
  if (!params)
    return;
  bool countIncludePad = ctx.getInt("count_include_pad", 0) != 0;
  ctx.setOutput(0, ctx.create<kiln::AvgPool2DOp>(
                       ctx.getInput(0), params->kernel, params->strides,
                       params->padding, params->dilations, params->ceilMode,
                       countIncludePad));
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
  rules["BatchNormalization"] = importBatchNormalization;
}
