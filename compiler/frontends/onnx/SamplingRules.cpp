//===- SamplingRules.cpp - ONNX sampling operators ------------------------===//
//
// Part of Kiln. GridSample and RoiAlign as exact compositions of kiln ops on
// run-time data, following the ONNX reference implementations
// (onnx/reference/ops/op_grid_sample.py and op_roi_align.py) step by step.
//
// Both sample an input at computed real-valued positions: each position is
// split into integer taps (kiln.floor), the taps become flat int64 indices
// that a single gather reads, and the tap weights combine the gathered
// values. Tap axes are laid out as trailing tensor dimensions so a whole
// sampling grid is a handful of broadcasting elementwise ops, not a loop.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::kiln::onnx;

/// The most elements a gathered tap tensor may have; larger samplings are
/// reported as unsupported rather than exhausting memory at run time.
static constexpr int64_t kMaxTapElements = int64_t(1) << 30;

namespace {

/// Shorthands for the elementwise kiln ops the compositions are made of;
/// scalar constants take the element type `type`.
class Emitter {
public:
  Emitter(NodeContext &ctx, Type type) : ctx(ctx), type(type) {}

  Value c(double value) { return ctx.createScalar(value, type); }
  Value add(Value a, Value b) { return ctx.create<kiln::AddOp>(a, b); }
  Value sub(Value a, Value b) { return ctx.create<kiln::SubOp>(a, b); }
  Value mul(Value a, Value b) { return ctx.create<kiln::MulOp>(a, b); }
  Value div(Value a, Value b) { return ctx.create<kiln::DivOp>(a, b); }
  Value max(Value a, Value b) { return ctx.create<kiln::MaxOp>(a, b); }
  Value floor(Value a) { return ctx.create<kiln::FloorOp>(a); }
  Value select(Value cond, Value a, Value b) {
    return ctx.create<kiln::SelectOp>(cond, a, b);
  }
  Value cmp(kiln::ComparePredicate predicate, Value a, Value b) {
    return ctx.create<kiln::CompareOp>(predicate, a, b);
  }
  Value lt(Value a, Value b) { return cmp(kiln::ComparePredicate::lt, a, b); }
  Value gt(Value a, Value b) { return cmp(kiln::ComparePredicate::gt, a, b); }
  Value ge(Value a, Value b) { return cmp(kiln::ComparePredicate::ge, a, b); }
  Value le(Value a, Value b) { return cmp(kiln::ComparePredicate::le, a, b); }
  Value logicalAnd(Value a, Value b) { return ctx.create<kiln::AndOp>(a, b); }
  Value logicalOr(Value a, Value b) { return ctx.create<kiln::OrOp>(a, b); }
  Value logicalNot(Value a) { return ctx.create<kiln::NotOp>(a); }
  /// lo <= a <= hi. (Operands are built in separate statements throughout
  /// so the IR's order does not depend on argument evaluation order.)
  Value inRange(Value a, double lo, double hi) {
    Value aboveLo = ge(a, c(lo));
    Value belowHi = le(a, c(hi));
    return logicalAnd(aboveLo, belowHi);
  }
  Value clip(Value a, double lo, double hi) {
    OpBuilder &b = ctx.getBuilder();
    return ctx.create<kiln::ClipOp>(a, b.getF64FloatAttr(lo),
                                    b.getF64FloatAttr(hi));
  }
  /// Converts `value` to element type `to` (truncating toward zero).
  Value convert(Value value, Type to) {
    if (!value)
      return {};
    auto valueType = cast<RankedTensorType>(value.getType());
    if (valueType.getElementType() == to)
      return value;
    return ctx.createWithType<kiln::CastOp>(valueType.clone(to), value);
  }
  /// A constant of `shape` whose element i is values[i].
  Value constant(ArrayRef<double> values, ArrayRef<int64_t> shape) {
    HostTensor tensor(type, shape);
    for (auto [i, v] : llvm::enumerate(values))
      tensor.setFromDouble(i, v);
    return ctx.createConstant(tensor);
  }

  NodeContext &ctx;
  Type type;
};

} // namespace

static ArrayRef<int64_t> getShape(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// A shape of `rank` ones with `size` at `axis`.
static SmallVector<int64_t> unitShapeWith(int64_t rank, int64_t axis,
                                          int64_t size) {
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = size;
  return shape;
}

/// Reflects `x` into [lo, hi] like the reference's _gs_reflect: a point
/// beyond a border is mirrored at it, back and forth, until it lands inside.
/// Points inside stay. A degenerate range (one pixel with aligned corners,
/// where the reference divides by zero) maps everything to `lo`.
static Value buildReflect(Emitter &e, Value x, double lo, double hi) {
  if (hi <= lo)
    return e.clip(x, lo, lo);
  double range = hi - lo;
  Value below = e.lt(x, e.c(lo)), above = e.gt(x, e.c(hi));
  Value belowBy = e.sub(e.c(lo), x);
  Value aboveBy = e.sub(x, e.c(hi));
  Value dx = e.select(below, belowBy, aboveBy);
  // n = int(dx / range) with dx > 0: the number of whole range crossings.
  Value n = e.floor(e.div(dx, e.c(range)));
  Value r = e.sub(dx, e.mul(n, e.c(range)));
  Value parity = e.sub(n, e.mul(e.c(2), e.floor(e.mul(n, e.c(0.5)))));
  Value odd = e.cmp(kiln::ComparePredicate::ne, parity, e.c(0));
  // Ends at lo + r when below with an even n or above with an odd n.
  Value endsNearLo = e.select(below, e.logicalNot(odd), odd);
  Value loPlusR = e.add(e.c(lo), r);
  Value hiMinusR = e.sub(e.c(hi), r);
  Value reflected = e.select(endsNearLo, loPlusR, hiMinusR);
  return e.select(e.logicalOr(below, above), reflected, x);
}

//===----------------------------------------------------------------------===//
// GridSample
//===----------------------------------------------------------------------===//

namespace {

enum class GridMode { Nearest, Linear, Cubic };
enum class GridPadding { Zeros, Border, Reflection };

struct GridSampleConfig {
  GridMode mode;
  GridPadding padding;
  bool alignCorners;
  int64_t batch;                // N
  int64_t channels;             // C
  SmallVector<int64_t> inDims;  // D1..Dk of X
  SmallVector<int64_t> outDims; // spatial dims of the grid and output
  int64_t points;               // product of outDims
  int64_t tapsPerDim;           // 1, 2 or 4
  Type xElement, gridElement;
};

/// The taps of one spatial dimension, each [N, 1, P, 1.., T, ..1] with the
/// tap axis at 3 + dim: flat index contribution (int64, already scaled by
/// the dimension's stride), in-range mask (zeros padding only) and weight
/// (linear and cubic only, in X's type).
struct DimTaps {
  Value index, valid, weight;
};

} // namespace

/// Parses and checks the attributes and input types of GridSample.
static std::optional<GridSampleConfig> getGridSampleConfig(NodeContext &ctx) {
  bool opset20 = ctx.getOpset() >= 20;
  std::string mode = ctx.getString("mode", opset20 ? "linear" : "bilinear");
  std::string padding = ctx.getString("padding_mode", "zeros");
  int64_t alignCorners = ctx.getInt("align_corners", 0);
  RankedTensorType xType = ctx.getInputType(0), gridType = ctx.getInputType(1);
  if (ctx.hasFailed() || !xType || !gridType)
    return std::nullopt;

  GridSampleConfig config;
  if (mode == "nearest") {
    config.mode = GridMode::Nearest;
  } else if (mode == (opset20 ? "linear" : "bilinear")) {
    config.mode = GridMode::Linear;
  } else if (mode == (opset20 ? "cubic" : "bicubic")) {
    config.mode = GridMode::Cubic;
  } else {
    ctx.emitError() << "mode must be "
                    << (opset20 ? "linear, nearest or cubic"
                                : "bilinear, nearest or bicubic")
                    << " at opset " << ctx.getOpset() << ", not '" << mode
                    << "'";
    return std::nullopt;
  }
  if (padding == "zeros") {
    config.padding = GridPadding::Zeros;
  } else if (padding == "border") {
    config.padding = GridPadding::Border;
  } else if (padding == "reflection") {
    config.padding = GridPadding::Reflection;
  } else {
    ctx.emitError() << "padding_mode must be zeros, border or reflection, not '"
                    << padding << "'";
    return std::nullopt;
  }
  if (alignCorners != 0 && alignCorners != 1) {
    ctx.emitError() << "align_corners must be 0 or 1, not " << alignCorners;
    return std::nullopt;
  }
  config.alignCorners = alignCorners;

  int64_t rank = xType.getRank();
  if (opset20 ? rank < 3 : rank != 4) {
    ctx.emitError() << "X must have rank " << (opset20 ? ">= 3" : "4")
                    << " (N, C and spatial dimensions), not " << xType;
    return std::nullopt;
  }
  if (!isa<FloatType>(gridType.getElementType())) {
    ctx.emitError() << "the grid must be a float tensor, not " << gridType;
    return std::nullopt;
  }
  if (!xType.hasStaticShape() || !gridType.hasStaticShape()) {
    ctx.emitUnsupported() << "dynamic shapes (X " << xType << ", grid "
                          << gridType << ")";
    return std::nullopt;
  }
  int64_t spatial = rank - 2;
  if (gridType.getRank() != rank ||
      gridType.getDimSize(0) != xType.getDimSize(0) ||
      gridType.getDimSize(rank - 1) != spatial) {
    ctx.emitError() << "the grid must have shape [N, out spatial..., "
                    << spatial << "] of rank " << rank << " for X " << xType
                    << ", not " << gridType;
    return std::nullopt;
  }
  if (config.mode != GridMode::Nearest &&
      !isa<FloatType>(xType.getElementType())) {
    ctx.emitUnsupported() << mode << " interpolation of non-float X " << xType;
    return std::nullopt;
  }
  config.tapsPerDim = config.mode == GridMode::Nearest  ? 1
                      : config.mode == GridMode::Linear ? 2
                                                        : 4;
  // Bounded first (in double, which cannot overflow) so that the int64
  // products below are exact.
  double taps = 1;
  for (int64_t d : gridType.getShape().drop_back())
    taps *= d;
  taps *= xType.getDimSize(1) * std::pow(config.tapsPerDim, spatial);
  if (taps > double(kMaxTapElements)) {
    ctx.emitUnsupported() << "a sampling of more than " << kMaxTapElements
                          << " taps";
    return std::nullopt;
  }
  config.batch = xType.getDimSize(0);
  config.channels = xType.getDimSize(1);
  config.inDims.assign(xType.getShape().begin() + 2, xType.getShape().end());
  config.outDims.assign(gridType.getShape().begin() + 1,
                        gridType.getShape().end() - 1);
  config.points = 1;
  for (int64_t d : config.outDims)
    config.points *= d;
  config.xElement = xType.getElementType();
  config.gridElement = gridType.getElementType();

  // Zero-size outputs are built empty; any other needs pixels to sample.
  if (taps != 0 && llvm::is_contained(config.inDims, 0)) {
    ctx.emitError() << "X has an empty spatial dimension but the output "
                       "does not: "
                    << xType;
    return std::nullopt;
  }
  return config;
}

/// The sampling coordinate along spatial dimension `dim`, [N, 1, P] in the
/// grid's type: unnormalized, rounded half to even for nearest, and moved
/// inside the borders for border and reflection padding.
static Value buildGridCoordinate(Emitter &e, Value grid,
                                 const GridSampleConfig &config, int64_t dim) {
  NodeContext &ctx = e.ctx;
  int64_t spatial = config.inDims.size(), rank = spatial + 2;
  // The grid's last axis holds (x, y, ...): the reverse of X's dimensions.
  SmallVector<int64_t> starts(rank, 0), sizes(getShape(grid)), steps(rank, 1);
  starts[rank - 1] = spatial - 1 - dim;
  sizes[rank - 1] = 1;
  Value n =
      ctx.createReshape(ctx.create<kiln::SliceOp>(grid, starts, sizes, steps),
                        {config.batch, 1, config.points});
  double length = config.inDims[dim];
  Value x;
  if (config.alignCorners) // (n + 1) / 2 * (length - 1)
    x = e.mul(e.div(e.add(n, e.c(1)), e.c(2)), e.c(length - 1));
  else // ((n + 1) * length - 1) / 2
    x = e.div(e.sub(e.mul(e.add(n, e.c(1)), e.c(length)), e.c(1)), e.c(2));
  if (config.mode == GridMode::Nearest)
    x = ctx.create<kiln::RoundOp>(x);

  double lo = config.alignCorners ? 0 : -0.5;
  double hi = config.alignCorners ? length - 1 : length - 0.5;
  if (config.padding == GridPadding::Border) {
    Value outside = e.logicalNot(e.inRange(x, lo, hi));
    x = e.select(outside, e.clip(x, 0, length - 1), x);
  } else if (config.padding == GridPadding::Reflection) {
    x = buildReflect(e, x, lo, hi);
  }
  return x;
}

/// The taps of spatial dimension `dim` around coordinate `x` ([N, 1, P]):
/// positions floor(x) + offsets with the reference's linear or cubic
/// (Keys, A = -0.75) coefficients, or x itself for nearest; then each tap
/// position resolved with the padding mode.
static DimTaps buildDimTaps(Emitter &e, Value x, const GridSampleConfig &config,
                            int64_t dim, int64_t stride) {
  NodeContext &ctx = e.ctx;
  int64_t spatial = config.inDims.size(), tapRank = 3 + spatial;
  int64_t taps = config.tapsPerDim;
  SmallVector<int64_t> pointShape(tapRank, 1);
  pointShape[0] = config.batch;
  pointShape[2] = config.points;
  x = ctx.createReshape(x, pointShape);
  SmallVector<int64_t> tapShape = unitShapeWith(tapRank, 3 + dim, taps);

  DimTaps result;
  Value position = x;
  if (config.mode != GridMode::Nearest) {
    Value x0 = e.floor(x);
    Value f = e.sub(x, x0);
    bool cubic = config.mode == GridMode::Cubic;
    SmallVector<double> offsets =
        cubic ? SmallVector<double>{-1, 0, 1, 2} : SmallVector<double>{0, 1};
    position = e.add(x0, e.constant(offsets, tapShape));
    // Each tap's distance from x: f * sign + bias, which is exactly the
    // reference's (x + 1, x, 1 - x, 2 - x) or (1 - x, x) for linear.
    SmallVector<double> signs =
        cubic ? SmallVector<double>{1, 1, -1, -1} : SmallVector<double>{-1, 1};
    SmallVector<double> biases =
        cubic ? SmallVector<double>{1, 0, 1, 2} : SmallVector<double>{1, 0};
    Value d = e.add(e.mul(f, e.constant(signs, tapShape)),
                    e.constant(biases, tapShape));
    Value weight = d;
    if (cubic) {
      const double a = -0.75;
      // Outer taps: ((A d - 5A) d + 8A) d - 4A.
      // Inner taps: ((A + 2) d - (A + 3)) d d + 1.
      Value outer =
          e.sub(e.mul(e.add(e.mul(e.sub(e.mul(e.c(a), d), e.c(5 * a)), d),
                            e.c(8 * a)),
                      d),
                e.c(4 * a));
      Value inner = e.add(
          e.mul(e.mul(e.sub(e.mul(e.c(a + 2), d), e.c(a + 3)), d), d), e.c(1));
      HostTensor isOuter(ctx.getBuilder().getI1Type(), tapShape);
      for (int64_t t = 0; t < 4; ++t)
        isOuter.setFromInt(t, t == 0 || t == 3);
      weight = e.select(ctx.createConstant(isOuter), outer, inner);
    }
    result.weight = e.convert(weight, config.xElement);
  }

  double length = config.inDims[dim];
  double lo = config.alignCorners ? 0 : -0.5;
  double hi = config.alignCorners ? length - 1 : length - 0.5;
  if (config.padding == GridPadding::Zeros)
    result.valid = e.inRange(position, 0, length - 1);
  else if (config.padding == GridPadding::Reflection)
    position = buildReflect(e, position, lo, hi);
  // In range for border (the reference clamps) and reflection (where it
  // truncates toward zero, as this clip and the cast do); for zeros the
  // clamped index only keeps the gather in bounds.
  position = e.clip(position, 0, length - 1);
  Type i64 = ctx.getBuilder().getI64Type();
  result.index = ctx.create<kiln::MulOp>(e.convert(position, i64),
                                         ctx.createScalar(stride, i64));
  return result;
}

static void importGridSample(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  std::optional<GridSampleConfig> config = getGridSampleConfig(ctx);
  Value input = ctx.getInput(0), grid = ctx.getInput(1);
  if (!config || !input || !grid)
    return;
  int64_t spatial = config->inDims.size();
  SmallVector<int64_t> outShape = {config->batch, config->channels};
  llvm::append_range(outShape, config->outDims);
  if (config->batch * config->channels * config->points == 0) {
    ctx.setOutput(0,
                  ctx.createConstant(HostTensor(config->xElement, outShape)));
    return;
  }

  // Per-dimension taps, combined by broadcasting over the tap axes.
  Emitter e(ctx, config->gridElement);
  SmallVector<DimTaps> dims;
  Value index, valid;
  int64_t stride = 1;
  for (int64_t d = spatial - 1; d >= 0; --d) {
    Value x = buildGridCoordinate(e, grid, *config, d);
    dims.push_back(buildDimTaps(e, x, *config, d, stride));
    stride *= config->inDims[d];
    index = index ? e.add(index, dims.back().index) : dims.back().index;
    if (Value v = dims.back().valid)
      valid = valid ? e.logicalAnd(valid, v) : v;
  }
  std::reverse(dims.begin(), dims.end());
  if (ctx.hasFailed())
    return;

  // One gather of every tap of every point from X as [N, C, spatial].
  int64_t tapsPerPoint = 1;
  for (int64_t d = 0; d < spatial; ++d)
    tapsPerPoint *= config->tapsPerDim;
  int64_t gathered = config->points * tapsPerPoint;
  Value flatInput =
      ctx.createReshape(input, {config->batch, config->channels, stride});
  Value flatIndex = ctx.createReshape(index, {config->batch, 1, gathered});
  if (!flatIndex)
    return;
  auto broadcastType =
      RankedTensorType::get({config->batch, config->channels, gathered},
                            ctx.getBuilder().getI64Type());
  flatIndex = ctx.createWithType<kiln::BroadcastToOp>(broadcastType, flatIndex);
  Value values = ctx.create<kiln::GatherElementsOp>(
      flatInput, flatIndex, ctx.getBuilder().getI64IntegerAttr(2));
  SmallVector<int64_t> tapValueShape = {config->batch, config->channels,
                                        config->points};
  for (int64_t d = 0; d < spatial; ++d)
    tapValueShape.push_back(config->tapsPerDim);
  values = ctx.createReshape(values, tapValueShape);
  if (valid)
    values = e.select(valid, values, ctx.createScalar(0, config->xElement));

  // Interpolate the innermost dimension first, as the reference does.
  if (config->mode != GridMode::Nearest) {
    for (int64_t d = spatial - 1; d >= 0; --d) {
      SmallVector<int64_t> weightShape(getShape(dims[d].weight));
      weightShape.resize(4 + d);
      Value weight = ctx.createReshape(dims[d].weight, weightShape);
      values = ctx.create<kiln::ReduceSumOp>(e.mul(values, weight),
                                             SmallVector<int64_t>{3 + d},
                                             /*keep_dims=*/false);
    }
  }
  ctx.setOutput(0, ctx.createReshape(values, outShape));
}

//===----------------------------------------------------------------------===//
// RoiAlign
//===----------------------------------------------------------------------===//

namespace {

/// How many samples each bin of every ROI takes along one axis.
struct SampleCounts {
  /// Samples along the axis in the largest ROI: the tensor extent.
  int64_t extent = 1;
  /// Per ROI ([R] values) when they differ, else empty (all `extent`).
  SmallVector<int64_t> perRoi;
};

struct RoiAlignConfig {
  bool maxMode;
  bool halfPixel;
  int64_t outHeight, outWidth;
  int64_t samplingRatio;
  double spatialScale;
  int64_t batch, channels, height, width, rois;
  Type element;
};

} // namespace

/// Parses and checks the attributes and input types of RoiAlign.
static std::optional<RoiAlignConfig> getRoiAlignConfig(NodeContext &ctx) {
  RoiAlignConfig config;
  std::string mode = ctx.getString("mode", "avg");
  std::string transform =
      ctx.getOpset() >= 16
          ? ctx.getString("coordinate_transformation_mode", "half_pixel")
          : "output_half_pixel";
  config.outHeight = ctx.getInt("output_height", 1);
  config.outWidth = ctx.getInt("output_width", 1);
  config.samplingRatio = ctx.getInt("sampling_ratio", 0);
  config.spatialScale = ctx.getFloat("spatial_scale", 1.0f);
  RankedTensorType xType = ctx.getInputType(0), roisType = ctx.getInputType(1),
                   indicesType = ctx.getInputType(2);
  if (ctx.hasFailed() || !xType || !roisType || !indicesType)
    return std::nullopt;

  if (mode != "avg" && mode != "max") {
    ctx.emitError() << "mode must be avg or max, not '" << mode << "'";
    return std::nullopt;
  }
  config.maxMode = mode == "max";
  if (transform != "half_pixel" && transform != "output_half_pixel") {
    ctx.emitError() << "coordinate_transformation_mode must be half_pixel or "
                       "output_half_pixel, not '"
                    << transform << "'";
    return std::nullopt;
  }
  config.halfPixel = transform == "half_pixel";
  if (config.outHeight < 1 || config.outWidth < 1 ||
      config.outHeight > (1 << 20) || config.outWidth > (1 << 20)) {
    ctx.emitError() << "output_height and output_width must be positive, not "
                    << config.outHeight << " and " << config.outWidth;
    return std::nullopt;
  }
  if (config.samplingRatio < 0 || config.samplingRatio > (1 << 20)) {
    ctx.emitError() << "sampling_ratio must be >= 0, not "
                    << config.samplingRatio;
    return std::nullopt;
  }
  if (!std::isfinite(config.spatialScale)) {
    ctx.emitError() << "spatial_scale must be finite";
    return std::nullopt;
  }

  if (xType.getRank() != 4 || !isa<FloatType>(xType.getElementType())) {
    ctx.emitError() << "X must be a 4-D float tensor [N, C, H, W], not "
                    << xType;
    return std::nullopt;
  }
  if (roisType.getRank() != 2 ||
      roisType.getElementType() != xType.getElementType() ||
      roisType.getDimSize(1) != 4) {
    ctx.emitError() << "rois must be a [num_rois, 4] tensor of X's type "
                    << xType.getElementType() << ", not " << roisType;
    return std::nullopt;
  }
  auto indexElement = dyn_cast<IntegerType>(indicesType.getElementType());
  if (indicesType.getRank() != 1 || !indexElement ||
      indexElement.getWidth() < 32) {
    ctx.emitError() << "batch_indices must be a 1-D int64 tensor, not "
                    << indicesType;
    return std::nullopt;
  }
  if (!xType.hasStaticShape() || !roisType.hasStaticShape() ||
      !indicesType.hasStaticShape()) {
    ctx.emitUnsupported() << "dynamic shapes (X " << xType << ", rois "
                          << roisType << ", batch_indices " << indicesType
                          << ")";
    return std::nullopt;
  }
  if (indicesType.getDimSize(0) != roisType.getDimSize(0)) {
    ctx.emitError() << "batch_indices must have one entry per roi ("
                    << roisType.getDimSize(0) << "), not " << indicesType;
    return std::nullopt;
  }
  config.batch = xType.getDimSize(0);
  config.channels = xType.getDimSize(1);
  config.height = xType.getDimSize(2);
  config.width = xType.getDimSize(3);
  config.rois = roisType.getDimSize(0);
  config.element = xType.getElementType();
  return config;
}

/// The samples per bin of each ROI when sampling_ratio is 0:
/// ceil(roi_size / bins) computed as the reference does, in the precision of
/// `Real`, from ROIs known at import time.
template <typename Real>
static void countSamplesFromRois(const RoiAlignConfig &config,
                                 const HostTensor &rois, SampleCounts &hCounts,
                                 SampleCounts &wCounts) {
  Real scale = static_cast<Real>(config.spatialScale);
  Real offset = config.halfPixel ? Real(0.5) : Real(0);
  for (int64_t r = 0; r < config.rois; ++r) {
    Real coord[4];
    for (int64_t i = 0; i < 4; ++i)
      coord[i] = static_cast<Real>(rois.getDouble(4 * r + i)) * scale - offset;
    Real roiW = coord[2] - coord[0], roiH = coord[3] - coord[1];
    if (!config.halfPixel) {
      roiW = std::max(roiW, Real(1));
      roiH = std::max(roiH, Real(1));
    }
    auto count = [](Real size, int64_t bins) -> int64_t {
      Real c = std::ceil(size / static_cast<Real>(bins));
      // No samples for empty or inverted ROIs (the reference's empty loop);
      // absurd sizes saturate and are rejected by the caller.
      if (!(c > 0))
        return 0;
      return c > Real(1 << 30) ? int64_t(1) << 30 : static_cast<int64_t>(c);
    };
    hCounts.perRoi.push_back(count(roiH, config.outHeight));
    wCounts.perRoi.push_back(count(roiW, config.outWidth));
  }
  for (SampleCounts *counts : {&hCounts, &wCounts}) {
    counts->extent = 1;
    for (int64_t c : counts->perRoi)
      counts->extent = std::max(counts->extent, c);
    if (llvm::all_equal(counts->perRoi) &&
        counts->perRoi.front() == counts->extent)
      counts->perRoi.clear();
  }
}

namespace {

/// The two taps along one axis of every sample: [R, bins, samples] each.
struct AxisTaps {
  Value low, high; // integer positions, as floats
  Value lowWeight, highWeight;
  Value valid; // the sample lies within [-1, size]
};

} // namespace

/// Sample positions along one axis of every ROI bin,
/// start + bin * binSize + (i + 0.5) * binSize / samples, split into the
/// reference's two bilinear taps.
static AxisTaps buildAxisTaps(Emitter &e, Value start, Value roiSize,
                              Value samplesPerBin, int64_t bins,
                              int64_t samples, int64_t size) {
  SmallVector<double> binIota, sampleIota;
  for (int64_t i = 0; i < bins; ++i)
    binIota.push_back(i);
  for (int64_t i = 0; i < samples; ++i)
    sampleIota.push_back(i + 0.5);
  Value binSize = e.div(roiSize, e.c(bins));
  Value binStart =
      e.add(start, e.mul(e.constant(binIota, {1, bins, 1}), binSize));
  Value y = e.add(binStart,
                  e.div(e.mul(e.constant(sampleIota, {1, 1, samples}), binSize),
                        samplesPerBin));

  AxisTaps taps;
  taps.valid = e.inRange(y, -1, size);
  Value clamped = e.max(y, e.c(0));
  Value floor = e.floor(clamped);
  Value atEnd = e.ge(floor, e.c(size - 1));
  Value last = e.c(size - 1);
  taps.low = e.select(atEnd, last, floor);
  taps.high = e.select(atEnd, last, e.add(floor, e.c(1)));
  Value position = e.select(atEnd, last, clamped);
  taps.highWeight = e.sub(position, taps.low);
  taps.lowWeight = e.sub(e.c(1), taps.highWeight);
  return taps;
}

/// Stacks the low and high taps of one axis on a new tap axis and lays the
/// result out as [R, PH, SH, PW, SW, 2, 2], with the axis's bins, samples and
/// tap at dimensions `binAxis`, `binAxis + 1` and `tapAxis`.
static Value stackTaps(NodeContext &ctx, Value low, Value high, int64_t binAxis,
                       int64_t tapAxis) {
  if (!low || !high)
    return {};
  ArrayRef<int64_t> shape = getShape(low); // [R, bins, samples]
  SmallVector<int64_t> tapShape = {shape[0], shape[1], shape[2], 1};
  Value stacked =
      ctx.create<kiln::ConcatOp>(ValueRange{ctx.createReshape(low, tapShape),
                                            ctx.createReshape(high, tapShape)},
                                 int64_t(3));
  SmallVector<int64_t> layout(7, 1);
  layout[0] = shape[0];
  layout[binAxis] = shape[1];
  layout[binAxis + 1] = shape[2];
  layout[tapAxis] = 2;
  return ctx.createReshape(stacked, layout);
}

/// A [R, 1, samples] mask of the samples each ROI takes when ROIs differ in
/// their sample count, else null.
static Value buildSampleMask(NodeContext &ctx, const SampleCounts &counts) {
  if (counts.perRoi.empty())
    return {};
  int64_t rois = counts.perRoi.size();
  HostTensor mask(ctx.getBuilder().getI1Type(), {rois, 1, counts.extent});
  for (int64_t r = 0; r < rois; ++r)
    for (int64_t s = 0; s < counts.extent; ++s)
      mask.setFromInt(r * counts.extent + s, s < counts.perRoi[r]);
  return ctx.createConstant(mask);
}

/// The divisor of the sample offsets along one axis: the sample count, one
/// per ROI when they differ (at least 1: ROIs without samples are masked).
static Value buildSampleDivisor(Emitter &e, const SampleCounts &counts) {
  if (counts.perRoi.empty())
    return e.c(counts.extent);
  SmallVector<double> divisors;
  for (int64_t c : counts.perRoi)
    divisors.push_back(std::max<int64_t>(c, 1));
  return e.constant(divisors, {int64_t(counts.perRoi.size()), 1, 1});
}

static void importRoiAlign(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  std::optional<RoiAlignConfig> config = getRoiAlignConfig(ctx);
  if (!config)
    return;
  const RoiAlignConfig &cfg = *config;
  if (cfg.rois * cfg.channels == 0) {
    ctx.setOutput(0, ctx.createConstant(HostTensor(
                         cfg.element, {cfg.rois, cfg.channels, cfg.outHeight,
                                       cfg.outWidth})));
    return;
  }
  if (cfg.height * cfg.width * cfg.batch == 0) {
    ctx.emitError() << "X must not be empty when there are rois to pool";
    return;
  }

  // Samples per bin: the sampling ratio, or ceil(roi size / bins) from ROIs
  // known at import time.
  SampleCounts hCounts, wCounts;
  if (cfg.samplingRatio > 0) {
    hCounts.extent = wCounts.extent = cfg.samplingRatio;
  } else {
    const HostTensor *rois = ctx.getConstantInput(1);
    if (ctx.hasFailed())
      return;
    if (!rois) {
      ctx.emitUnsupported()
          << "sampling_ratio 0 with rois that are not known at compile time "
             "(the samples per bin depend on each roi's size)";
      return;
    }
    if (cfg.element.isF64())
      countSamplesFromRois<double>(cfg, *rois, hCounts, wCounts);
    else
      countSamplesFromRois<float>(cfg, *rois, hCounts, wCounts);
  }
  double taps = 4.0 * cfg.rois * cfg.channels * cfg.outHeight * cfg.outWidth *
                hCounts.extent * wCounts.extent;
  if (taps > double(kMaxTapElements)) {
    ctx.emitUnsupported() << "a pooling of more than " << kMaxTapElements
                          << " taps";
    return;
  }

  Value input = ctx.getInput(0), roisValue = ctx.getInput(1),
        batchIndices = ctx.getInput(2);
  if (!input || !roisValue || !batchIndices)
    return;
  Emitter e(ctx, cfg.element);
  Type i64 = ctx.getBuilder().getI64Type();
  int64_t numRois = cfg.rois;

  // ROI corners in X's pixel coordinates, each [R, 1, 1].
  Value scaled = e.mul(roisValue, e.c(cfg.spatialScale));
  if (cfg.halfPixel)
    scaled = e.sub(scaled, e.c(0.5));
  auto column = [&](int64_t i) {
    return ctx.createReshape(
        ctx.create<kiln::SliceOp>(scaled, ArrayRef<int64_t>{0, i},
                                  ArrayRef<int64_t>{numRois, 1},
                                  ArrayRef<int64_t>{1, 1}),
        {numRois, 1, 1});
  };
  Value startW = column(0), startH = column(1);
  Value roiW = e.sub(column(2), startW), roiH = e.sub(column(3), startH);
  if (!cfg.halfPixel) { // Malformed ROIs become 1x1.
    roiW = e.max(roiW, e.c(1));
    roiH = e.max(roiH, e.c(1));
  }
  AxisTaps ys = buildAxisTaps(e, startH, roiH, buildSampleDivisor(e, hCounts),
                              cfg.outHeight, hCounts.extent, cfg.height);
  AxisTaps xs = buildAxisTaps(e, startW, roiW, buildSampleDivisor(e, wCounts),
                              cfg.outWidth, wCounts.extent, cfg.width);

  // Taps laid out as [R, PH, SH, PW, SW, 2 (y), 2 (x)].
  Value yIndex = e.convert(stackTaps(ctx, ys.low, ys.high, 1, 5), i64);
  Value xIndex = e.convert(stackTaps(ctx, xs.low, xs.high, 3, 6), i64);
  Value yWeight = stackTaps(ctx, ys.lowWeight, ys.highWeight, 1, 5);
  Value xWeight = stackTaps(ctx, xs.lowWeight, xs.highWeight, 3, 6);
  Value yValid = ctx.createReshape(
      ys.valid, {numRois, cfg.outHeight, hCounts.extent, 1, 1, 1, 1});
  Value xValid = ctx.createReshape(
      xs.valid, {numRois, 1, 1, cfg.outWidth, wCounts.extent, 1, 1});
  Value valid = e.logicalAnd(yValid, xValid);
  Value batch = ctx.createReshape(e.convert(batchIndices, i64),
                                  {numRois, 1, 1, 1, 1, 1, 1});
  Value height = ctx.createScalar(cfg.height, i64),
        width = ctx.createScalar(cfg.width, i64);
  Value rowBase = ctx.create<kiln::MulOp>(batch, height);
  Value pixel = ctx.create<kiln::AddOp>(
      ctx.create<kiln::MulOp>(ctx.create<kiln::AddOp>(rowBase, yIndex), width),
      xIndex);
  // Samples outside the map read pixel 0 of their image with weight 0, as in
  // the reference.
  pixel = e.select(valid, pixel, ctx.create<kiln::MulOp>(rowBase, width));
  Value weight = e.select(valid, e.mul(yWeight, xWeight), e.c(0));

  // Gather every tap's channel vector from X as [N*H*W, C].
  Value pixels = ctx.createReshape(
      ctx.create<kiln::TransposeOp>(input, ArrayRef<int64_t>{0, 2, 3, 1}),
      {cfg.batch * cfg.height * cfg.width, cfg.channels});
  Value values =
      ctx.create<kiln::GatherOp>(pixels, pixel, int64_t(0)); // [.., 2, 2, C]
  if (ctx.hasFailed())
    return;
  SmallVector<int64_t> weightShape(getShape(weight));
  weightShape.push_back(1);
  values = e.mul(values, ctx.createReshape(weight, weightShape));

  // Pool the samples of each bin: [R, PH, SH, PW, SW, C] -> [R, PH, PW, C].
  Value sampleMask;
  Value hMask = buildSampleMask(ctx, hCounts),
        wMask = buildSampleMask(ctx, wCounts);
  if (hMask)
    sampleMask =
        ctx.createReshape(hMask, {numRois, 1, hCounts.extent, 1, 1, 1});
  if (wMask) {
    Value m = ctx.createReshape(wMask, {numRois, 1, 1, 1, wCounts.extent, 1});
    sampleMask = sampleMask ? e.logicalAnd(sampleMask, m) : m;
  }
  SmallVector<int64_t> tapAxes = {5, 6}, sampleAxes = {2, 4};
  Value pooled;
  if (cfg.maxMode) {
    // The reference's max mode: the largest weighted tap of each sample,
    // then the largest sample.
    Value sampleValues =
        ctx.create<kiln::ReduceMaxOp>(values, tapAxes, /*keep_dims=*/false);
    if (sampleMask)
      sampleValues = e.select(sampleMask, sampleValues,
                              e.c(-std::numeric_limits<double>::infinity()));
    pooled = ctx.create<kiln::ReduceMaxOp>(sampleValues, sampleAxes,
                                           /*keep_dims=*/false);
  } else {
    Value sampleValues =
        ctx.create<kiln::ReduceSumOp>(values, tapAxes, /*keep_dims=*/false);
    if (sampleMask)
      sampleValues = e.select(sampleMask, sampleValues, e.c(0));
    pooled = ctx.create<kiln::ReduceSumOp>(sampleValues, sampleAxes,
                                           /*keep_dims=*/false);
  }
  // Averages divide by max(SH * SW, 1); ROIs without samples give 0.
  bool variable = !hCounts.perRoi.empty() || !wCounts.perRoi.empty();
  if (!variable) {
    if (!cfg.maxMode)
      pooled = e.div(pooled, e.c(hCounts.extent * wCounts.extent));
  } else {
    SmallVector<double> counts;
    HostTensor hasSamples(ctx.getBuilder().getI1Type(), {numRois, 1, 1, 1});
    for (int64_t r = 0; r < numRois; ++r) {
      int64_t h = hCounts.perRoi.empty() ? hCounts.extent : hCounts.perRoi[r];
      int64_t w = wCounts.perRoi.empty() ? wCounts.extent : wCounts.perRoi[r];
      counts.push_back(std::max<int64_t>(h * w, 1));
      hasSamples.setFromInt(r, h > 0 && w > 0);
    }
    if (cfg.maxMode)
      pooled = e.select(ctx.createConstant(hasSamples), pooled, e.c(0));
    else
      pooled = e.div(pooled, e.constant(counts, {numRois, 1, 1, 1}));
  }
  ctx.setOutput(
      0, ctx.create<kiln::TransposeOp>(pooled, ArrayRef<int64_t>{0, 3, 1, 2}));
}

//===----------------------------------------------------------------------===//
// AffineGrid
//===----------------------------------------------------------------------===//

/// Positions of `size` pixel centres (or corners) normalized to [-1, 1],
/// as the ONNX reference's arange: start + i * step in double.
static SmallVector<double> normalizedPositions(int64_t size,
                                               bool alignCorners) {
  SmallVector<double> positions;
  if (alignCorners && size == 1)
    return {-1.0};
  double step = alignCorners ? 2.0 / double(size - 1) : 2.0 / double(size);
  double start = alignCorners ? -1.0 : -1.0 + step / 2;
  for (int64_t i = 0; i < size; ++i)
    positions.push_back(start + double(i) * step);
  return positions;
}

/// AffineGrid (opset 20): the sampling grid [N, spatial..., k] of the affine
/// maps theta [N, k, k + 1] over the normalized base grid of `size`
/// (k = 2 or 3). The base grid, homogeneous and transposed to
/// [k + 1, prod(spatial)], is an import-time constant; the product runs in
/// f64 like the reference's (f64 grid times theta) and rounds once.
static void importAffineGrid(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType thetaType = ctx.getInputType(0);
  auto size = ctx.requireConstantInts(1, "size");
  bool alignCorners = ctx.getInt("align_corners", 0) != 0;
  if (!thetaType || !size || ctx.hasFailed())
    return;
  if (size->size() != 4 && size->size() != 5) {
    ctx.emitError() << "size must have 4 (N, C, H, W) or 5 (N, C, D, H, W) "
                       "entries, got "
                    << size->size();
    return;
  }
  int64_t k = size->size() - 2, n = (*size)[0];
  if (!isa<FloatType>(thetaType.getElementType()) ||
      thetaType.getShape() != ArrayRef<int64_t>{n, k, k + 1}) {
    ctx.emitError() << "theta must be a float [" << n << ", " << k << ", "
                    << k + 1 << "] tensor for size of " << size->size()
                    << " entries, got " << thetaType;
    return;
  }
  ArrayRef<int64_t> spatial = ArrayRef<int64_t>(*size).drop_front(2);
  int64_t points = 1;
  for (int64_t dim : spatial) {
    if (dim < 1 || dim > (int64_t(1) << 24) ||
        points * dim > (int64_t(1) << 26)) {
      ctx.emitUnsupported() << "an AffineGrid of size "
                            << llvm::make_range(size->begin(), size->end());
      return;
    }
    points *= dim;
  }
  // Row c of the base holds coordinate c (x first: the last spatial
  // dimension), then a row of ones.
  SmallVector<SmallVector<double>> axes;
  for (int64_t dim : spatial)
    axes.push_back(normalizedPositions(dim, alignCorners));
  Type f64 = Float64Type::get(ctx.getContext());
  HostTensor base(f64, {k + 1, points});
  for (int64_t p = 0; p < points; ++p) {
    int64_t rest = p;
    for (int64_t d = k - 1; d >= 0; --d) {
      int64_t index = rest % spatial[d];
      rest /= spatial[d];
      base.setFromDouble((k - 1 - d) * points + p, axes[d][index]);
    }
    base.setFromDouble(k * points + p, 1.0);
  }
  Value theta =
      ctx.createWithType<kiln::CastOp>(thetaType.clone(f64), ctx.getInput(0));
  Value grid = ctx.create<kiln::MatMulOp>(theta, ctx.createConstant(base));
  grid = ctx.create<kiln::TransposeOp>(grid, ArrayRef<int64_t>{0, 2, 1});
  grid = ctx.createWithType<kiln::CastOp>(
      RankedTensorType::get({n, points, k}, thetaType.getElementType()), grid);
  SmallVector<int64_t> shape = {n};
  shape.append(spatial.begin(), spatial.end());
  shape.push_back(k);
  ctx.setOutput(0, ctx.createReshape(grid, shape));
}

void mlir::kiln::onnx::addSamplingRules(ImportRuleMap &rules) {
  rules["GridSample"] = importGridSample;
  rules["RoiAlign"] = importRoiAlign;
  rules["AffineGrid"] = importAffineGrid;
}
