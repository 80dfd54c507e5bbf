//===- ConvWindow.cpp - Window attributes of ONNX convolutions ------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/ConvWindow.h"

#include "dialects/kiln/IR/KilnOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace mlir::kiln::onnx {

/// Reads a per-spatial-dimension attribute (strides, dilations, pads) of
/// length `count`.
std::optional<SmallVector<int64_t>> getSpatialInts(NodeContext &ctx,
                                                   StringRef name,
                                                   unsigned count,
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

/// Checks that every value of a window attribute is in [lo, kMaxWindowValue].
bool checkWindowValues(NodeContext &ctx, StringRef name,
                       ArrayRef<int64_t> values, int64_t lo) {
  for (int64_t v : values) {
    if (v < lo || v > kMaxWindowValue) {
      ctx.emitError() << "attribute '" << name << "' value " << v
                      << " is out of range [" << lo << ", " << kMaxWindowValue
                      << "]";
      return false;
    }
  }
  return true;
}

/// Checks the node works on an `N x C x spatial...` input with 1 to 3
/// spatial dimensions; returns its type.
RankedTensorType requireSpatialInput(NodeContext &ctx) {
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return nullptr;
  if (type.getRank() < 3) {
    ctx.emitError() << "input must have rank >= 3 (N x C x spatial...), got "
                    << type;
    return nullptr;
  }
  if (type.getRank() > 5) {
    ctx.emitUnsupported() << type.getRank() - 2
                          << " spatial dimensions; Kiln supports 1 to 3";
    return nullptr;
  }
  // 1-D windows run as 2-D ones over a unit height, through reshapes.
  if (type.getRank() == 3 && !type.hasStaticShape()) {
    ctx.emitUnsupported() << "1-D window over the dynamic shape " << type;
    return nullptr;
  }
  return type;
}

/// Resolves ONNX `pads`/`auto_pad` to all leading pads, then all trailing
/// pads (the layout of both ONNX `pads` and the kiln ops' `padding`).
std::optional<SmallVector<int64_t>>
resolvePadding(NodeContext &ctx, RankedTensorType input,
               ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations) {
  unsigned rank = kernel.size();
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    auto pads = getSpatialInts(ctx, "pads", 2 * rank, 0);
    if (pads && llvm::any_of(*pads, [](int64_t p) { return p < 0; })) {
      ctx.emitError() << "pads must be non-negative";
      return std::nullopt;
    }
    if (pads && !checkWindowValues(ctx, "pads", *pads, 0))
      return std::nullopt;
    return pads;
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t>(2 * rank, 0);
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    ctx.emitError() << "unknown auto_pad '" << autoPad << "'";
    return std::nullopt;
  }
  SmallVector<int64_t> pads(2 * rank, 0);
  for (unsigned d = 0; d < rank; ++d) {
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
    pads[rank + d] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

/// The window attributes of a 1-D op as those of a 2-D op over a unit
/// height: `values` (one per dimension) get `unit` in front.
SmallVector<int64_t> prependUnit(ArrayRef<int64_t> values, int64_t unit) {
  SmallVector<int64_t> result = {unit};
  result.append(values.begin(), values.end());
  return result;
}

/// Pads of a 1-D op ([begin, end]) as 2-D pads over a unit height.
SmallVector<int64_t> unitHeightPads(ArrayRef<int64_t> pads) {
  return {0, pads[0], 0, pads[1]};
}

/// `x` (N x C x L) as N x C x 1 x L.
Value addUnitHeight(NodeContext &ctx, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + 2, 1);
  return ctx.createReshape(x, shape);
}

/// Drops the unit height added by addUnitHeight.
Value dropUnitHeight(NodeContext &ctx, Value x) {
  if (!x)
    return {};
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 2);
  return ctx.createReshape(x, shape);
}

/// conv2d / conv3d, or a 1-D convolution as a 2-D one over a unit height.
Value createConv(NodeContext &ctx, Value x, Value w, Value bias,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                 ArrayRef<int64_t> dilations, int64_t groups) {
  if (!x || !w)
    return {};
  switch (strides.size()) {
  case 1: {
    Value result = ctx.create<kiln::Conv2DOp>(
        addUnitHeight(ctx, x), addUnitHeight(ctx, w), bias,
        prependUnit(strides, 1), unitHeightPads(pads),
        prependUnit(dilations, 1), groups);
    return dropUnitHeight(ctx, result);
  }
  case 2:
    return ctx.create<kiln::Conv2DOp>(x, w, bias, strides, pads, dilations,
                                      groups);
  default:
    return ctx.create<kiln::Conv3DOp>(x, w, bias, strides, pads, dilations,
                                      groups);
  }
}

/// Reads `group` and checks it is positive.
std::optional<int64_t> getGroups(NodeContext &ctx) {
  int64_t groups = ctx.getInt("group", 1);
  if (ctx.hasFailed())
    return std::nullopt;
  if (groups <= 0) {
    ctx.emitError() << "group must be positive, got " << groups;
    return std::nullopt;
  }
  return groups;
}

/// Checks the filter's rank and an optional `kernel_shape` against it;
/// returns the kernel's spatial sizes.
std::optional<SmallVector<int64_t>> getFilterKernel(NodeContext &ctx,
                                                    RankedTensorType input,
                                                    RankedTensorType filter) {
  if (filter.getRank() != input.getRank()) {
    ctx.emitError() << "filter must have the input's rank " << input.getRank()
                    << ", got " << filter;
    return std::nullopt;
  }
  SmallVector<int64_t> kernel(filter.getShape().drop_front(2));
  if (llvm::any_of(kernel, ShapedType::isDynamic)) {
    ctx.emitUnsupported() << "filter with a dynamic spatial size " << filter;
    return std::nullopt;
  }
  if (auto declared = ctx.getInts("kernel_shape")) {
    if (!llvm::equal(*declared, kernel)) {
      ctx.emitError() << "kernel_shape does not match the filter's shape "
                      << filter;
      return std::nullopt;
    }
  }
  if (ctx.hasFailed() || !checkWindowValues(ctx, "kernel_shape", kernel, 1))
    return std::nullopt;
  return kernel;
}

std::optional<ConvWindow> getConvWindow(NodeContext &ctx,
                                        RankedTensorType input,
                                        RankedTensorType filter) {
  auto kernel = getFilterKernel(ctx, input, filter);
  if (!kernel)
    return std::nullopt;
  unsigned rank = kernel->size();
  auto strides = getSpatialInts(ctx, "strides", rank, 1);
  auto dilations = getSpatialInts(ctx, "dilations", rank, 1);
  if (!strides || !dilations ||
      !checkWindowValues(ctx, "strides", *strides, 1) ||
      !checkWindowValues(ctx, "dilations", *dilations, 1))
    return std::nullopt;
  auto padding = resolvePadding(ctx, input, *kernel, *strides, *dilations);
  auto groups = getGroups(ctx);
  if (!padding || !groups)
    return std::nullopt;
  return ConvWindow{std::move(*strides), std::move(*padding),
                    std::move(*dilations), *groups};
}

Value createConv(NodeContext &ctx, Value x, Value w, Value bias,
                 const ConvWindow &window) {
  return createConv(ctx, x, w, bias, window.strides, window.pads,
                    window.dilations, window.groups);
}

} // namespace mlir::kiln::onnx
