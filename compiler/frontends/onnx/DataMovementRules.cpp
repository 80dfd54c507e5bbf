//===- DataMovementRules.cpp - Import of ONNX data movement ops -----------===//
//
// Part of Kiln. Broadcasting, tiling, splitting, padding, index-driven
// gathers and scatters, and the ops that build index patterns (Range,
// EyeLike, OneHot, Trilu). Shapes are static at import time, so patterns
// (pad index tables, triangle masks, one-hot positions) become constants
// here and the kiln IR only holds the data movement itself.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/CastSupport.h"
#include "compiler/frontends/onnx/NodeContext.h"
#include "compiler/frontends/onnx/OnnxModel.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln::onnx;

/// Constants larger than this are not built by the importer (Range, EyeLike).
static constexpr int64_t kMaxGeneratedElements = int64_t(1) << 26;

/// The static shape of input `i`, or an error naming `what` needs it.
static std::optional<SmallVector<int64_t>>
requireStaticShape(NodeContext &ctx, unsigned i, StringRef what) {
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return std::nullopt;
  if (!type.hasStaticShape()) {
    ctx.emitUnsupported() << what << " needs a static input shape, got "
                          << type;
    return std::nullopt;
  }
  return SmallVector<int64_t>(type.getShape());
}

/// A single integer from a constant input (a scalar or a 1-element tensor).
static std::optional<int64_t>
requireConstantScalar(NodeContext &ctx, unsigned i, StringRef what) {
  auto values = ctx.requireConstantInts(i, what);
  if (!values)
    return std::nullopt;
  if (values->size() != 1) {
    ctx.emitError() << what << " must hold exactly one value, got "
                    << values->size();
    return std::nullopt;
  }
  return values->front();
}

/// Sets output 0 to a known tensor: on the host when small, else a constant.
static void setConstantOutput(NodeContext &ctx, unsigned output,
                              HostTensor value) {
  if (value.size() <= kMaxHostElements)
    return ctx.setOutput(output, std::move(value));
  ctx.setOutput(output, ctx.createConstant(value));
}

/// `value` broadcast to `shape`.
static Value broadcastTo(NodeContext &ctx, Value value,
                         ArrayRef<int64_t> shape) {
  if (!value)
    return {};
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return ctx.createWithType<kiln::BroadcastToOp>(
      RankedTensorType::get(shape, type.getElementType()), value);
}

static std::string formatList(ArrayRef<int64_t> values) {
  return llvm::join(
      llvm::map_range(values, [](int64_t v) { return std::to_string(v); }),
      ", ");
}

/// Checks indices known at import time against the dimension they index.
static bool checkKnownIndices(NodeContext &ctx, unsigned input, int64_t dim,
                              int64_t axis) {
  const HostTensor *indices = ctx.getConstantInput(input);
  if (!indices)
    return true;
  for (int64_t i = 0; i < indices->size(); ++i) {
    int64_t index = indices->getInt(i);
    if (index < -dim || index >= dim) {
      ctx.emitError() << "index " << index << " is out of range for axis "
                      << axis << " of size " << dim;
      return false;
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Expand and Tile
//===----------------------------------------------------------------------===//

static void importExpand(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Expand");
  auto target = ctx.requireConstantInts(1, "the target shape");
  if (!inShape || !target)
    return;
  for (int64_t d : *target) {
    if (d < 0 || d > kMaxDimension) {
      ctx.emitError() << "target dimension " << d << " is invalid";
      return;
    }
  }
  auto shape = kiln::broadcastShapes(*inShape, *target);
  if (!shape || !checkedElementCount(*shape)) {
    if (shape)
      llvm::consumeError(checkedElementCount(*shape).takeError());
    ctx.emitError() << "cannot expand shape [" << formatList(*inShape)
                    << "] to [" << formatList(*target) << "]";
    return;
  }
  ctx.setOutput(0, broadcastTo(ctx, ctx.getInput(0), *shape));
}

static void importTile(NodeContext &ctx) {
  if (ctx.getOpset() < 6) {
    ctx.emitUnsupported() << "Tile-1 (tiles and axis inputs); use opset 6+";
    return;
  }
  if (!ctx.checkNumInputs(2, 2))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Tile");
  auto repeats = ctx.requireConstantInts(1, "repeats");
  if (!inShape || !repeats)
    return;
  if (repeats->size() != inShape->size()) {
    ctx.emitError() << "repeats has " << repeats->size()
                    << " entries for an input of rank " << inShape->size();
    return;
  }
  // x[d0, d1] -> [1, d0, 1, d1] -> broadcast [r0, d0, r1, d1] -> [r0*d0, ..].
  SmallVector<int64_t> expanded, broadcast, result;
  for (auto [d, r] : llvm::zip(*inShape, *repeats)) {
    if (r < 0 || r > kMaxDimension) {
      ctx.emitError() << "repeat " << r << " is invalid";
      return;
    }
    if (r != 0 && d > kMaxDimension / r) {
      ctx.emitError() << "tiled dimension " << d << " x " << r
                      << " is too large";
      return;
    }
    if (r != 1) {
      expanded.push_back(1);
      broadcast.push_back(r);
    }
    expanded.push_back(d);
    broadcast.push_back(d);
    result.push_back(d * r);
  }
  if (auto count = checkedElementCount(result); !count) {
    ctx.emitError() << "tiled shape is invalid: "
                    << llvm::toString(count.takeError());
    return;
  }
  Value input = ctx.createReshape(ctx.getInput(0), expanded);
  ctx.setOutput(0,
                ctx.createReshape(broadcastTo(ctx, input, broadcast), result));
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

/// Elements [offset, offset + size) of `value` along `axis`.
static HostTensor sliceAlongAxis(const HostTensor &value, int64_t axis,
                                 int64_t offset, int64_t size) {
  ArrayRef<int64_t> shape = value.getShape();
  SmallVector<int64_t> outShape(shape);
  outShape[axis] = size;
  HostTensor result(value.getElementType(), outShape);
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  for (int64_t i = 0; i < result.size(); ++i) {
    int64_t outer = i / (size * inner), along = i / inner % size;
    int64_t source = (outer * shape[axis] + offset + along) * inner + i % inner;
    if (value.isFloat())
      result.setFromDouble(i, value.getDouble(source));
    else
      result.setFromInt(i, value.getInt(source));
  }
  return result;
}

static void importSplit(NodeContext &ctx) {
  int64_t opset = ctx.getOpset();
  if (!ctx.checkNumInputs(1, opset >= 13 || opset < 2 ? 2 : 1))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Split");
  if (!inShape)
    return;
  int64_t rank = inShape->size();
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", 0), rank);
  if (!axis)
    return;
  int64_t dim = (*inShape)[*axis];
  unsigned numOutputs = ctx.getNumOutputs();
  std::optional<std::vector<int64_t>> split;
  if ((opset >= 13 || opset < 2) && ctx.hasInput(1))
    split = ctx.requireConstantInts(1, "split");
  else if (opset < 13 && ctx.hasAttr("split"))
    split = ctx.getInts("split");
  if (ctx.hasFailed())
    return;
  if (split && ctx.hasAttr("num_outputs")) {
    ctx.emitError() << "has both split and num_outputs";
    return;
  }
  std::vector<int64_t> sizes;
  if (split) {
    sizes = *split;
  } else if (opset >= 18) {
    if (!ctx.hasAttr("num_outputs")) {
      ctx.emitError() << "needs the split input or the num_outputs attribute";
      return;
    }
    int64_t n = ctx.getInt("num_outputs", 0);
    if (n < 1 || n != numOutputs) {
      ctx.emitError() << "num_outputs " << n << " does not match the "
                      << numOutputs << " outputs";
      return;
    }
    // Chunks of ceil(dim / n); the last one takes what remains.
    int64_t chunk = (dim + n - 1) / n;
    for (int64_t i = 0; i < n; ++i)
      sizes.push_back(std::clamp<int64_t>(dim - i * chunk, 0, chunk));
  } else {
    if (numOutputs == 0 || dim % numOutputs != 0) {
      ctx.emitError() << "cannot split dimension " << dim << " evenly into "
                      << numOutputs << " outputs";
      return;
    }
    sizes.assign(numOutputs, dim / numOutputs);
  }
  if (sizes.size() != numOutputs) {
    ctx.emitError() << "split has " << sizes.size() << " entries for "
                    << numOutputs << " outputs";
    return;
  }
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0 || size > dim - total) {
      ctx.emitError() << "split sizes do not add up to dimension " << dim;
      return;
    }
    total += size;
  }
  if (total != dim) {
    ctx.emitError() << "split sizes add up to " << total << ", not " << dim;
    return;
  }
  if (const HostTensor *known = ctx.getConstantInput(0)) {
    // Shape arithmetic (AffineGrid's function body) stays known.
    int64_t offset = 0;
    for (auto [i, size] : llvm::enumerate(sizes)) {
      setConstantOutput(ctx, i, sliceAlongAxis(*known, *axis, offset, size));
      offset += size;
    }
    return;
  }
  Value input = ctx.getInput(0);
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    SmallVector<int64_t> starts(rank, 0), outSizes(*inShape), steps(rank, 1);
    starts[*axis] = offset;
    outSizes[*axis] = size;
    offset += size;
    if (outSizes == *inShape) {
      ctx.forwardInput(0, i);
      continue;
    }
    ctx.setOutput(i, ctx.create<kiln::SliceOp>(input, starts, outSizes, steps));
  }
}

//===----------------------------------------------------------------------===//
// Range, EyeLike, Trilu, OneHot
//===----------------------------------------------------------------------===//

static void importRange(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  const HostTensor *start = ctx.getConstantInput(0);
  const HostTensor *limit = ctx.getConstantInput(1);
  const HostTensor *delta = ctx.getConstantInput(2);
  if (!start || !limit || !delta) {
    if (!ctx.hasFailed())
      ctx.emitUnsupported()
          << "Range whose start, limit or delta is not known at compile "
             "time (the output length would be dynamic)";
    return;
  }
  for (const HostTensor *t : {start, limit, delta}) {
    if (t->size() != 1 || t->getElementType() != start->getElementType()) {
      ctx.emitError() << "start, limit and delta must be scalars of one type";
      return;
    }
  }
  Type elementType = start->getElementType();
  int64_t count;
  if (start->isFloat()) {
    double s = start->getDouble(0), l = limit->getDouble(0),
           d = delta->getDouble(0);
    double n = std::ceil((l - s) / d);
    if (d == 0 || !std::isfinite(n)) {
      ctx.emitError() << "delta must be non-zero and the length finite";
      return;
    }
    if (n > static_cast<double>(kMaxGeneratedElements)) {
      ctx.emitUnsupported()
          << "Range of more than " << kMaxGeneratedElements << " elements";
      return;
    }
    count = n > 0 ? static_cast<int64_t>(n) : 0;
    HostTensor result(elementType, {count});
    for (int64_t i = 0; i < count; ++i)
      result.setFromDouble(i, s + static_cast<double>(i) * d);
    return setConstantOutput(ctx, 0, std::move(result));
  }
  __int128 s = start->getInt(0), l = limit->getInt(0), d = delta->getInt(0);
  if (d == 0) {
    ctx.emitError() << "delta must be non-zero";
    return;
  }
  __int128 n = d > 0 ? (l - s + d - 1) / d : (s - l + (-d) - 1) / (-d);
  if (n > kMaxGeneratedElements) {
    ctx.emitUnsupported() << "Range of more than " << kMaxGeneratedElements
                          << " elements";
    return;
  }
  count = n > 0 ? static_cast<int64_t>(n) : 0;
  HostTensor result(elementType, {count});
  for (int64_t i = 0; i < count; ++i)
    result.setFromInt(i, static_cast<int64_t>(s + i * d));
  setConstantOutput(ctx, 0, std::move(result));
}

static void importEyeLike(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  auto shape = requireStaticShape(ctx, 0, "EyeLike");
  if (!shape)
    return;
  if (shape->size() != 2) {
    ctx.emitError() << "input must have rank 2, got rank " << shape->size();
    return;
  }
  Type elementType = ctx.getInputType(0).getElementType();
  if (ctx.hasAttr("dtype")) {
    int64_t dtype = ctx.getInt("dtype", 0);
    elementType = getElementType(ctx.getContext(), static_cast<int32_t>(dtype));
    if (!elementType) {
      ctx.emitUnsupported() << "EyeLike of data type "
                            << getDataTypeName(static_cast<int32_t>(dtype));
      return;
    }
  }
  int64_t k = ctx.getInt("k", 0);
  if (ctx.hasFailed())
    return;
  int64_t rows = (*shape)[0], cols = (*shape)[1];
  if (static_cast<__int128>(rows) * cols > kMaxGeneratedElements) {
    ctx.emitUnsupported() << "EyeLike of more than " << kMaxGeneratedElements
                          << " elements";
    return;
  }
  HostTensor result(elementType, *shape);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      result.setFromInt(i * cols + j, static_cast<__int128>(j) - i == k);
  setConstantOutput(ctx, 0, std::move(result));
}

static void importTrilu(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 2))
    return;
  auto shape = requireStaticShape(ctx, 0, "Trilu");
  if (!shape)
    return;
  int64_t rank = shape->size();
  if (rank < 2) {
    ctx.emitError() << "input must have rank at least 2, got " << rank;
    return;
  }
  const HostTensor *knownK =
      ctx.hasInput(1) ? ctx.getConstantInput(1) : nullptr;
  bool upper = ctx.getInt("upper", 1) != 0;
  if (ctx.hasFailed())
    return;
  int64_t rows = (*shape)[rank - 2], cols = (*shape)[rank - 1];
  if (static_cast<__int128>(rows) * cols > kMaxGeneratedElements) {
    ctx.emitUnsupported() << "Trilu over matrices of more than "
                          << kMaxGeneratedElements << " elements";
    return;
  }
  Type elementType = ctx.getInputType(0).getElementType();
  Value zero = ctx.createScalar(0, elementType);
  Type i64 = IntegerType::get(ctx.getContext(), 64);
  // Keep element (i, j) when j - i >= k (upper) or j - i <= k (lower).
  if (ctx.hasInput(1) && !knownK) {
    // k known only at run time: compare an import-time table of j - i.
    RankedTensorType kType = ctx.getInputType(1);
    if (!kType)
      return;
    if (kType.getNumElements() != 1 || kType.getElementType() != i64) {
      ctx.emitError() << "k must be a single int64, got " << kType;
      return;
    }
    HostTensor diagonal(i64, {rows, cols});
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        diagonal.setFromInt(i * cols + j, j - i);
    Value mask = ctx.create<kiln::CompareOp>(
        upper ? kiln::ComparePredicate::ge : kiln::ComparePredicate::le,
        ctx.createConstant(diagonal), ctx.createReshape(ctx.getInput(1), {}));
    ctx.setOutput(0, ctx.create<kiln::SelectOp>(mask, ctx.getInput(0), zero));
    return;
  }
  int64_t k = 0;
  if (knownK) {
    auto value = requireConstantScalar(ctx, 1, "k");
    if (!value)
      return;
    k = *value;
  }
  HostTensor mask(IntegerType::get(ctx.getContext(), 1), {rows, cols});
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      __int128 diff = static_cast<__int128>(j) - i;
      mask.setFromInt(i * cols + j, upper ? diff >= k : diff <= k);
    }
  ctx.setOutput(0, ctx.create<kiln::SelectOp>(ctx.createConstant(mask),
                                              ctx.getInput(0), zero));
}

/// ReverseSequence: reverses the first `sequence_lens[b]` steps of batch
/// entry `b` along the time axis. A gather along the time axis whose index
/// is `len - 1 - t` for `t < len` and `t` otherwise; the lengths may be run
/// time data (clamped to [0, T] as the reference's slicing does).
static void importReverseSequence(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  auto shape = requireStaticShape(ctx, 0, "ReverseSequence");
  RankedTensorType lensType = ctx.getInputType(1);
  int64_t timeAxis = ctx.getInt("time_axis", 0);
  int64_t batchAxis = ctx.getInt("batch_axis", 1);
  if (!shape || !lensType || ctx.hasFailed())
    return;
  int64_t rank = shape->size();
  if (rank < 2) {
    ctx.emitError() << "input must have rank at least 2, got " << rank;
    return;
  }
  if (!((timeAxis == 0 && batchAxis == 1) ||
        (timeAxis == 1 && batchAxis == 0))) {
    ctx.emitError() << "time_axis and batch_axis must be 0 and 1 (either "
                       "order), got "
                    << timeAxis << " and " << batchAxis;
    return;
  }
  int64_t steps = (*shape)[timeAxis], batch = (*shape)[batchAxis];
  Type i64 = IntegerType::get(ctx.getContext(), 64);
  if (lensType.getRank() != 1 || lensType.getDimSize(0) != batch ||
      lensType.getElementType() != i64) {
    ctx.emitError() << "sequence_lens must be int64 of shape [" << batch
                    << "], got " << lensType;
    return;
  }
  // Time steps and lengths laid out along their axes of the 2-D [0, 1] plane.
  SmallVector<int64_t> timeShape(rank, 1), lensShape(rank, 1);
  timeShape[timeAxis] = steps;
  lensShape[batchAxis] = batch;
  HostTensor timeIota(i64, timeShape);
  for (int64_t t = 0; t < steps; ++t)
    timeIota.setFromInt(t, t);
  Value time = ctx.createConstant(timeIota);
  Value lens = ctx.create<kiln::ClipOp>(
      ctx.createReshape(ctx.getInput(1), lensShape),
      ctx.getBuilder().getF64FloatAttr(0),
      ctx.getBuilder().getF64FloatAttr(static_cast<double>(steps)));
  Value reversed = ctx.create<kiln::SubOp>(
      ctx.create<kiln::SubOp>(lens, ctx.createScalar(1, i64)), time);
  Value inPrefix =
      ctx.create<kiln::CompareOp>(kiln::ComparePredicate::lt, time, lens);
  Value index = broadcastTo(
      ctx, ctx.create<kiln::SelectOp>(inPrefix, reversed, time), *shape);
  if (!index)
    return;
  ctx.setOutput(0, ctx.create<kiln::GatherElementsOp>(
                       ctx.getInput(0), index,
                       ctx.getBuilder().getI64IntegerAttr(timeAxis)));
}

static void importOneHot(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  auto inShape = requireStaticShape(ctx, 0, "OneHot");
  // depth may have any numeric type; a float depth truncates (ONNX casts).
  const HostTensor *depthTensor = ctx.getConstantInput(1);
  std::optional<int64_t> depthValue;
  if (!depthTensor) {
    if (!ctx.hasFailed())
      ctx.emitUnsupported() << "OneHot whose depth is not known at compile "
                               "time (the output shape would be dynamic)";
  } else if (depthTensor->size() != 1) {
    ctx.emitError() << "depth must hold exactly one value, got "
                    << depthTensor->size();
  } else if (depthTensor->isFloat() && !(std::abs(depthTensor->getDouble(0)) <
                                         static_cast<double>(kMaxDimension))) {
    ctx.emitError() << "depth " << depthTensor->getDouble(0) << " is invalid";
  } else {
    depthValue = depthTensor->getInt(0);
  }
  RankedTensorType valuesType = ctx.getInputType(2);
  if (!inShape || !depthValue || !valuesType)
    return;
  int64_t depth = *depthValue;
  if (depth < 1 || depth > kMaxDimension) {
    ctx.emitError() << "depth " << depth << " is invalid";
    return;
  }
  if (depth > kMaxGeneratedElements) {
    ctx.emitUnsupported() << "OneHot with a depth above "
                          << kMaxGeneratedElements;
    return;
  }
  if (valuesType.getNumElements() != 2 || valuesType.getRank() != 1) {
    ctx.emitError() << "values must be a 2-element tensor [off, on], got "
                    << valuesType;
    return;
  }
  int64_t outRank = inShape->size() + 1;
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", -1), outRank);
  if (!axis)
    return;
  SmallVector<int64_t> outShape(*inShape);
  outShape.insert(outShape.begin() + *axis, depth);
  if (auto count = checkedElementCount(outShape); !count) {
    ctx.emitError() << "output shape is invalid: "
                    << llvm::toString(count.takeError());
    return;
  }
  // Indices as i64, negatives counting from depth: index + depth if < 0.
  MLIRContext *context = ctx.getContext();
  Type i64 = IntegerType::get(context, 64);
  Value indices = ctx.getInput(0);
  RankedTensorType indicesType = ctx.getInputType(0);
  if (indicesType.getElementType() != i64)
    indices = ctx.createWithType<kiln::CastOp>(indicesType.clone(i64), indices);
  Value zero = ctx.createScalar(0, i64);
  Value negative =
      ctx.create<kiln::CompareOp>(kiln::ComparePredicate::lt, indices, zero);
  Value wrapped =
      ctx.create<kiln::AddOp>(indices, ctx.createScalar(depth, i64));
  indices = ctx.create<kiln::SelectOp>(negative, wrapped, indices);
  // positions: 0..depth-1 along `axis`, 1 elsewhere.
  SmallVector<int64_t> unsqueezed(*inShape), positionShape(outRank, 1);
  unsqueezed.insert(unsqueezed.begin() + *axis, 1);
  positionShape[*axis] = depth;
  HostTensor positions(i64, positionShape);
  for (int64_t i = 0; i < depth; ++i)
    positions.setFromInt(i, i);
  Value hot = ctx.create<kiln::CompareOp>(
      kiln::ComparePredicate::eq, ctx.createReshape(indices, unsqueezed),
      ctx.createConstant(positions));
  Value values = ctx.getInput(2);
  auto pick = [&](int64_t i) {
    Value v =
        ctx.create<kiln::SliceOp>(values, ArrayRef<int64_t>{i},
                                  ArrayRef<int64_t>{1}, ArrayRef<int64_t>{1});
    return ctx.createReshape(v, {});
  };
  Value on = pick(1), off = pick(0);
  ctx.setOutput(
      0, broadcastTo(ctx, ctx.create<kiln::SelectOp>(hot, on, off), outShape));
}

//===----------------------------------------------------------------------===//
// CastLike, Shrink
//===----------------------------------------------------------------------===//

static void importCastLike(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType type = ctx.getInputType(0);
  RankedTensorType like = ctx.getInputType(1);
  if (!type || !like)
    return;
  Type elementType = like.getElementType();
  bool saturate = false;
  if (!getSaturate(ctx, saturate))
    return;
  if (type.getElementType() == elementType)
    return ctx.forwardInput(0, 0);
  setCastOutput(ctx, elementType, saturate);
}

static void importShrink(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  float bias = ctx.getFloat("bias", 0), lambd = ctx.getFloat("lambd", 0.5);
  if (!type || ctx.hasFailed())
    return;
  // y = x < -lambd ? x + bias : (x > lambd ? x - bias : 0)
  Type elementType = type.getElementType();
  if (!isa<FloatType>(elementType) && !isa<IntegerType>(elementType)) {
    ctx.emitUnsupported() << "Shrink of " << elementType;
    return;
  }
  Value x = ctx.getInput(0);
  Value below = ctx.create<kiln::CompareOp>(
      kiln::ComparePredicate::lt, x, ctx.createScalar(-lambd, elementType));
  Value above = ctx.create<kiln::CompareOp>(
      kiln::ComparePredicate::gt, x, ctx.createScalar(lambd, elementType));
  Value biasValue = ctx.createScalar(bias, elementType);
  Value plus = ctx.create<kiln::AddOp>(x, biasValue);
  Value minus = ctx.create<kiln::SubOp>(x, biasValue);
  Value zero = ctx.createScalar(0, elementType);
  Value upper = ctx.create<kiln::SelectOp>(above, minus, zero);
  ctx.setOutput(0, ctx.create<kiln::SelectOp>(below, plus, upper));
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// The source index of padded position `j` along an axis of size `n` that
/// gets `before` elements in front, for reflect/edge/wrap modes.
static int64_t padSource(StringRef mode, int64_t j, int64_t before, int64_t n) {
  int64_t i = j - before;
  if (mode == "edge")
    return std::clamp<int64_t>(i, 0, n - 1);
  if (mode == "wrap")
    return ((i % n) + n) % n;
  // reflect: mirror without repeating the edge, period 2(n - 1).
  if (n == 1)
    return 0;
  int64_t period = 2 * (n - 1);
  int64_t r = ((i % period) + period) % period;
  return r < n ? r : period - r;
}

/// Pads `input` by `before`/`after` elements per axis with the scalar
/// `fill`; negative amounts crop. Crops first, then concatenates fill
/// blocks axis by axis.
static Value buildConstantPad(NodeContext &ctx, Value input,
                              ArrayRef<int64_t> before, ArrayRef<int64_t> after,
                              Value fill) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape()), starts(rank, 0), steps(rank, 1);
  bool crop = false;
  for (int64_t d = 0; d < rank; ++d) {
    if (before[d] < 0) {
      starts[d] = -before[d];
      shape[d] += before[d];
      crop = true;
    }
    if (after[d] < 0) {
      shape[d] += after[d];
      crop = true;
    }
  }
  Value result = input;
  if (crop)
    result = ctx.create<kiln::SliceOp>(result, starts, shape, steps);
  for (int64_t d = 0; d < rank; ++d) {
    if (before[d] <= 0 && after[d] <= 0)
      continue;
    SmallVector<Value> parts;
    auto fillBlock = [&](int64_t size) {
      SmallVector<int64_t> blockShape(shape);
      blockShape[d] = size;
      parts.push_back(broadcastTo(ctx, fill, blockShape));
    };
    if (before[d] > 0)
      fillBlock(before[d]);
    parts.push_back(result);
    if (after[d] > 0)
      fillBlock(after[d]);
    result = ctx.create<kiln::ConcatOp>(ValueRange(parts), d);
    shape[d] +=
        std::max<int64_t>(before[d], 0) + std::max<int64_t>(after[d], 0);
  }
  return result;
}

static void importPad(NodeContext &ctx) {
  int64_t opset = ctx.getOpset();
  bool fromInputs = opset >= 11;
  if (!ctx.checkNumInputs(fromInputs ? 2 : 1, fromInputs ? 4 : 1))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Pad");
  if (!inShape)
    return;
  int64_t rank = inShape->size();
  std::string mode = ctx.getString("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      !(mode == "wrap" && opset >= 19)) {
    ctx.emitError() << "unknown mode '" << mode << "'";
    return;
  }
  std::optional<std::vector<int64_t>> pads;
  std::optional<std::vector<int64_t>> axes;
  if (fromInputs) {
    pads = ctx.requireConstantInts(1, "pads");
    if (ctx.hasInput(3))
      axes = ctx.requireConstantInts(3, "axes");
  } else {
    pads = ctx.getInts(opset < 2 ? "paddings" : "pads");
    if (!pads && !ctx.hasFailed())
      ctx.emitError() << "needs the '" << (opset < 2 ? "paddings" : "pads")
                      << "' attribute";
  }
  if (!pads || ctx.hasFailed())
    return;
  if (!axes) {
    axes.emplace();
    for (int64_t d = 0; d < rank; ++d)
      axes->push_back(d);
  }
  if (pads->size() != 2 * axes->size()) {
    ctx.emitError() << "pads has " << pads->size() << " entries, expected "
                    << 2 * axes->size();
    return;
  }
  SmallVector<int64_t> before(rank, 0), after(rank, 0), outShape(*inShape);
  SmallVector<bool> seen(rank, false);
  size_t n = axes->size();
  for (size_t i = 0; i < n; ++i) {
    auto axis = ctx.normalizeAxis((*axes)[i], rank);
    if (!axis)
      return;
    if (seen[*axis]) {
      ctx.emitError() << "axis " << (*axes)[i] << " is repeated";
      return;
    }
    seen[*axis] = true;
    int64_t b = (*pads)[i], e = (*pads)[i + n];
    if (b < -kMaxDimension || b > kMaxDimension || e < -kMaxDimension ||
        e > kMaxDimension) {
      ctx.emitError() << "pads for axis " << *axis << " are too large";
      return;
    }
    int64_t dim = (*inShape)[*axis] + b + e;
    if (dim < 0 || dim > kMaxDimension) {
      ctx.emitError() << "padding axis " << *axis << " of size "
                      << (*inShape)[*axis] << " by " << b << " and " << e
                      << " gives an invalid size";
      return;
    }
    before[*axis] = b;
    after[*axis] = e;
    outShape[*axis] = dim;
  }
  if (auto count = checkedElementCount(outShape); !count) {
    ctx.emitError() << "padded shape is invalid: "
                    << llvm::toString(count.takeError());
    return;
  }
  Type elementType = ctx.getInputType(0).getElementType();
  Value result = ctx.getInput(0);
  if (mode != "constant") {
    // Each padded axis is a gather with an import-time index table.
    for (int64_t d = 0; d < rank; ++d) {
      if (before[d] == 0 && after[d] == 0)
        continue;
      // Negative pads crop first; the mode then extends what remains
      // (onnxruntime's order, which matters for wrap).
      int64_t first = std::max<int64_t>(-before[d], 0);
      int64_t size = (*inShape)[d] - first - std::max<int64_t>(-after[d], 0);
      if (size <= 0 && outShape[d] > 0) {
        ctx.emitError() << "cannot pad axis " << d << " in mode '" << mode
                        << "': nothing is left of it to repeat";
        return;
      }
      if (outShape[d] > kMaxGeneratedElements) {
        ctx.emitUnsupported() << "Pad to an axis of more than "
                              << kMaxGeneratedElements << " elements";
        return;
      }
      HostTensor table(IntegerType::get(ctx.getContext(), 64), {outShape[d]});
      for (int64_t j = 0; j < outShape[d]; ++j)
        table.setFromInt(
            j,
            first + padSource(mode, j, std::max<int64_t>(before[d], 0), size));
      result = ctx.create<kiln::GatherOp>(result, ctx.createConstant(table), d);
    }
    return ctx.setOutput(0, result);
  }
  // Constant mode: crop the negative pads, then concatenate fill blocks.
  Value fill;
  if (fromInputs && ctx.hasInput(2)) {
    RankedTensorType valueType = ctx.getInputType(2);
    if (!valueType)
      return;
    if (valueType.getNumElements() != 1) {
      ctx.emitError() << "constant_value must hold one element, got "
                      << valueType;
      return;
    }
    if (valueType.getElementType() != elementType) {
      ctx.emitError() << "constant_value type " << valueType.getElementType()
                      << " differs from the input's " << elementType;
      return;
    }
    fill = ctx.createReshape(ctx.getInput(2), {});
  } else {
    fill = ctx.createScalar(fromInputs ? 0 : ctx.getFloat("value", 0),
                            elementType);
  }
  ctx.setOutput(0, buildConstantPad(ctx, result, before, after, fill));
}

/// CenterCropPad: each listed axis is cropped or zero-padded to its target
/// size, centred; an odd difference puts the extra element at the end.
static void importCenterCropPad(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  auto inShape = requireStaticShape(ctx, 0, "CenterCropPad");
  if (!inShape)
    return;
  auto target = ctx.requireConstantInts(1, "shape");
  auto axes = ctx.getInts("axes");
  if (!target || ctx.hasFailed())
    return;
  int64_t rank = inShape->size();
  if (!axes) {
    axes.emplace();
    for (int64_t d = 0; d < rank; ++d)
      axes->push_back(d);
  }
  if (target->size() != axes->size()) {
    ctx.emitError() << "shape has " << target->size() << " entries for "
                    << axes->size() << " axes";
    return;
  }
  SmallVector<int64_t> before(rank, 0), after(rank, 0);
  SmallVector<bool> seen(rank, false);
  for (auto [axisValue, size] : llvm::zip(*axes, *target)) {
    auto axis = ctx.normalizeAxis(axisValue, rank);
    if (!axis)
      return;
    if (seen[*axis] || size < 0 || size > kMaxDimension) {
      ctx.emitError() << "axis " << axisValue
                      << (seen[*axis] ? " is repeated"
                                      : " has an invalid target size");
      return;
    }
    seen[*axis] = true;
    int64_t diff = size - (*inShape)[*axis];
    before[*axis] = diff >= 0 ? diff / 2 : -((-diff) / 2);
    after[*axis] = diff - before[*axis];
  }
  Type elementType = ctx.getInputType(0).getElementType();
  ctx.setOutput(0, buildConstantPad(ctx, ctx.getInput(0), before, after,
                                    ctx.createScalar(0, elementType)));
}

//===----------------------------------------------------------------------===//
// DepthToSpace and SpaceToDepth
//===----------------------------------------------------------------------===//

static void importDepthToSpace(NodeContext &ctx, bool toSpace) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  auto shape = requireStaticShape(ctx, 0, ctx.getOpType());
  if (!shape)
    return;
  if (shape->size() != 4) {
    ctx.emitError() << "input must have rank 4 (NCHW), got rank "
                    << shape->size();
    return;
  }
  if (!ctx.hasAttr("blocksize")) {
    ctx.emitError() << "needs the 'blocksize' attribute";
    return;
  }
  int64_t b = ctx.getInt("blocksize", 0);
  std::string mode = ctx.getString("mode", "DCR");
  if (ctx.hasFailed())
    return;
  int64_t n = (*shape)[0], c = (*shape)[1], h = (*shape)[2], w = (*shape)[3];
  if (b < 1 || b > kMaxDimension || (toSpace && c % (b * b) != 0) ||
      (!toSpace && (h % b != 0 || w % b != 0))) {
    ctx.emitError() << "blocksize " << b << " does not divide the "
                    << (toSpace ? "channels " : "spatial dimensions ") << "of "
                    << ctx.getInputType(0);
    return;
  }
  if (mode != "DCR" && mode != "CRD") {
    ctx.emitError() << "unknown mode '" << mode << "'";
    return;
  }
  Value x = ctx.getInput(0);
  if (!toSpace) {
    // SpaceToDepth: DCR puts the block offsets before the channel, CRD
    // (opset 25) after it.
    Value r = ctx.createReshape(x, {n, c, h / b, b, w / b, b});
    r = ctx.create<kiln::TransposeOp>(
        r, mode == "DCR" ? ArrayRef<int64_t>{0, 3, 5, 1, 2, 4}
                         : ArrayRef<int64_t>{0, 1, 3, 5, 2, 4});
    return ctx.setOutput(0, ctx.createReshape(r, {n, c * b * b, h / b, w / b}));
  }
  int64_t cOut = c / (b * b);
  Value r;
  if (mode == "DCR") {
    r = ctx.createReshape(x, {n, b, b, cOut, h, w});
    r = ctx.create<kiln::TransposeOp>(r, ArrayRef<int64_t>{0, 3, 4, 1, 5, 2});
  } else {
    r = ctx.createReshape(x, {n, cOut, b, b, h, w});
    r = ctx.create<kiln::TransposeOp>(r, ArrayRef<int64_t>{0, 1, 4, 2, 5, 3});
  }
  ctx.setOutput(0, ctx.createReshape(r, {n, cOut, h * b, w * b}));
}

//===----------------------------------------------------------------------===//
// Compress
//===----------------------------------------------------------------------===//

static void importCompress(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  auto shape = requireStaticShape(ctx, 0, "Compress");
  if (!shape)
    return;
  const HostTensor *condition = ctx.getConstantInput(1);
  if (!condition) {
    if (!ctx.hasFailed())
      ctx.emitUnsupported() << "Compress with a condition that is not known "
                               "at compile time (the output shape would be "
                               "dynamic)";
    return;
  }
  if (condition->getShape().size() != 1) {
    ctx.emitError() << "condition must be 1-D";
    return;
  }
  Value input = ctx.getInput(0);
  int64_t axis = 0;
  if (ctx.hasAttr("axis")) {
    auto normalized = ctx.normalizeAxis(ctx.getInt("axis", 0), shape->size());
    if (!normalized)
      return;
    axis = *normalized;
  } else {
    input = ctx.createReshape(input, {*kiln::numElements(*shape)});
  }
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t dim = inputType.getDimSize(axis);
  if (condition->size() > dim) {
    ctx.emitError() << "condition has " << condition->size()
                    << " entries for an axis of size " << dim;
    return;
  }
  std::vector<int64_t> kept;
  for (int64_t i = 0; i < condition->size(); ++i)
    if (condition->getDouble(i) != 0)
      kept.push_back(i);
  HostTensor indices = HostTensor::ofInt64s(
      ctx.getContext(), kept, {static_cast<int64_t>(kept.size())});
  ctx.setOutput(
      0, ctx.create<kiln::GatherOp>(input, ctx.createConstant(indices), axis));
}

//===----------------------------------------------------------------------===//
// GatherElements, ScatterElements, GatherND, ScatterND
//===----------------------------------------------------------------------===//

static void importGatherElements(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType dataType = ctx.getInputType(0);
  if (!dataType)
    return;
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", 0), dataType.getRank());
  if (!axis || !checkKnownIndices(ctx, 1, dataType.getDimSize(*axis), *axis))
    return;
  ctx.setOutput(0, ctx.create<kiln::GatherElementsOp>(ctx.getInput(0),
                                                      ctx.getInput(1), *axis));
}

/// The `reduction` attribute of the scatter ops (opset 16+; max/min 18+).
static std::optional<kiln::ScatterReduction>
getScatterReduction(NodeContext &ctx) {
  std::string name = ctx.getString("reduction", "none");
  if (ctx.hasFailed())
    return std::nullopt;
  auto reduction = kiln::symbolizeScatterReduction(name);
  if (!reduction) {
    ctx.emitError() << "unknown reduction '" << name << "'";
    return std::nullopt;
  }
  return reduction;
}

static void importScatterElements(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  RankedTensorType dataType = ctx.getInputType(0);
  auto reduction = getScatterReduction(ctx);
  if (!dataType || !reduction)
    return;
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", 0), dataType.getRank());
  if (!axis || !checkKnownIndices(ctx, 1, dataType.getDimSize(*axis), *axis))
    return;
  ctx.setOutput(0, ctx.create<kiln::ScatterElementsOp>(
                       ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), *axis,
                       *reduction));
}

static void importGatherND(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  int64_t batchDims = ctx.getInt("batch_dims", 0);
  if (ctx.hasFailed())
    return;
  ctx.setOutput(0, ctx.create<kiln::GatherNDOp>(ctx.getInput(0),
                                                ctx.getInput(1), batchDims));
}

static void importScatterND(NodeContext &ctx) {
  if (!ctx.checkNumInputs(3, 3))
    return;
  auto reduction = getScatterReduction(ctx);
  if (!reduction)
    return;
  ctx.setOutput(0,
                ctx.create<kiln::ScatterNDOp>(ctx.getInput(0), ctx.getInput(1),
                                              ctx.getInput(2), *reduction));
}

//===----------------------------------------------------------------------===//
// CumSum and TopK
//===----------------------------------------------------------------------===//

/// TensorScatter (opset 24, KV-cache updates): writes `update` into
/// `past_cache` along `axis` starting at `write_indices[b]` for batch entry
/// b (0 without them), wrapping modulo the cache length in circular mode.
/// A scatter_elements whose indices are write_indices[b] + i.
static void importTensorScatter(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType cacheType = ctx.getInputType(0);
  RankedTensorType updateType = ctx.getInputType(1);
  std::string mode = ctx.getString("mode", "linear");
  int64_t axisValue = ctx.getInt("axis", -2);
  if (!cacheType || !updateType || ctx.hasFailed())
    return;
  if (mode != "linear" && mode != "circular") {
    ctx.emitError() << "mode must be linear or circular, got '" << mode << "'";
    return;
  }
  int64_t rank = cacheType.getRank();
  auto axis = ctx.normalizeAxis(axisValue, rank);
  if (!axis)
    return;
  if (*axis == 0 || !cacheType.hasStaticShape() ||
      !updateType.hasStaticShape() || updateType.getRank() != rank ||
      updateType.getElementType() != cacheType.getElementType()) {
    ctx.emitError() << "needs static past_cache and update of one type and "
                       "rank with the sequence axis after the batch axis, "
                       "got "
                    << cacheType << " and " << updateType << " with axis "
                    << axisValue;
    return;
  }
  for (int64_t d = 0; d < rank; ++d) {
    int64_t cache = cacheType.getDimSize(d), update = updateType.getDimSize(d);
    if (d == *axis ? update > cache : update != cache) {
      ctx.emitError() << "update " << updateType << " does not fit past_cache "
                      << cacheType << " in dimension " << d;
      return;
    }
  }
  Type i64 = IntegerType::get(ctx.getContext(), 64);
  int64_t steps = updateType.getDimSize(*axis);
  SmallVector<int64_t> stepShape(rank, 1), batchShape(rank, 1);
  stepShape[*axis] = steps;
  batchShape[0] = cacheType.getDimSize(0);
  HostTensor iota(i64, stepShape);
  for (int64_t i = 0; i < steps; ++i)
    iota.setFromInt(i, i);
  Value index = ctx.createConstant(iota);
  if (ctx.hasInput(2)) {
    RankedTensorType indicesType = ctx.getInputType(2);
    if (!indicesType)
      return;
    if (indicesType.getShape() != ArrayRef<int64_t>{batchShape[0]} ||
        indicesType.getElementType() != i64) {
      ctx.emitError() << "write_indices must be int64 of shape ["
                      << batchShape[0] << "], got " << indicesType;
      return;
    }
    index = ctx.create<kiln::AddOp>(
        ctx.createReshape(ctx.getInput(2), batchShape), index);
  }
  if (mode == "circular")
    index = ctx.create<kiln::ModOp>(
        index, ctx.createScalar(cacheType.getDimSize(*axis), i64), UnitAttr());
  index = broadcastTo(ctx, index, updateType.getShape());
  if (!index)
    return;
  ctx.setOutput(0, ctx.create<kiln::ScatterElementsOp>(
                       ctx.getInput(0), index, ctx.getInput(1), *axis,
                       kiln::ScatterReduction::none));
}

/// CumSum and CumProd (opset 26).
template <typename OpTy> static void importCumulative(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  // A 1-D input has only one valid axis, so a run-time axis is not needed.
  std::optional<int64_t> axisValue = 0;
  if (type.getRank() != 1 || ctx.getConstantInput(1))
    axisValue = requireConstantScalar(ctx, 1, "axis");
  bool exclusive = ctx.getInt("exclusive", 0) != 0;
  bool reverse = ctx.getInt("reverse", 0) != 0;
  if (!axisValue || ctx.hasFailed())
    return;
  auto axis = ctx.normalizeAxis(*axisValue, type.getRank());
  if (!axis)
    return;
  ctx.setOutput(0,
                ctx.create<OpTy>(ctx.getInput(0), *axis, exclusive, reverse));
}

static void importTopK(NodeContext &ctx) {
  bool kFromInput = ctx.getOpset() >= 10;
  if (!ctx.checkNumInputs(kFromInput ? 2 : 1, kFromInput ? 2 : 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  std::optional<int64_t> k;
  if (kFromInput) {
    k = requireConstantScalar(ctx, 1, "K");
  } else if (!ctx.hasAttr("k")) {
    ctx.emitError() << "needs the 'k' attribute";
  } else {
    k = ctx.getInt("k", 0);
  }
  bool largest = ctx.getInt("largest", 1) != 0;
  if (!k || ctx.hasFailed())
    return;
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", -1), type.getRank());
  if (!axis)
    return;
  int64_t dim = type.getDimSize(*axis);
  if (*k < 0 || (!ShapedType::isDynamic(dim) && *k > dim)) {
    ctx.emitError() << "K = " << *k << " is outside [0, " << dim << "]";
    return;
  }
  if (ctx.hasFailed())
    return;
  OpBuilder &b = ctx.getBuilder();
  SmallVector<int64_t> shape(type.getShape());
  shape[*axis] = *k;
  auto values = RankedTensorType::get(shape, type.getElementType());
  auto indices = RankedTensorType::get(shape, b.getI64Type());
  auto op = b.create<kiln::TopKOp>(ctx.getLoc(), TypeRange{values, indices},
                                   ctx.getInput(0), *k, *axis, !largest);
  if (failed(mlir::verify(op))) {
    op->erase();
    ctx.emitError() << "cannot build kiln.top_k";
    return;
  }
  ctx.setOutput(0, op.getValues());
  ctx.setOutput(1, op.getIndices());
}

void mlir::kiln::onnx::addDataMovementRules(ImportRuleMap &rules) {
  rules["Expand"] = importExpand;
  rules["Tile"] = importTile;
  rules["Split"] = importSplit;
  rules["Range"] = importRange;
  rules["EyeLike"] = importEyeLike;
  rules["Trilu"] = importTrilu;
  rules["OneHot"] = importOneHot;
  rules["ReverseSequence"] = importReverseSequence;
  rules["CastLike"] = importCastLike;
  rules["Shrink"] = importShrink;
  rules["Pad"] = importPad;
  rules["CenterCropPad"] = importCenterCropPad;
  rules["DepthToSpace"] = [](NodeContext &ctx) {
    importDepthToSpace(ctx, /*toSpace=*/true);
  };
  rules["SpaceToDepth"] = [](NodeContext &ctx) {
    importDepthToSpace(ctx, /*toSpace=*/false);
  };
  rules["Compress"] = importCompress;
  rules["GatherElements"] = importGatherElements;
  rules["Scatter"] = importScatterElements;
  rules["ScatterElements"] = importScatterElements;
  rules["GatherND"] = importGatherND;
  rules["ScatterND"] = importScatterND;
  rules["CumSum"] = importCumulative<kiln::CumSumOp>;
  rules["CumProd"] = importCumulative<kiln::CumProdOp>;
  rules["TensorScatter"] = importTensorScatter;
  rules["TopK"] = importTopK;
}
