//===- TensorRules.cpp - Import of ONNX data movement ops -----------------===//
//
// Part of Kiln. Constants, casts, shapes and data movement. Shape, Size and
// ConstantOfShape produce known tensors; Reshape, Slice, Gather, Concat,
// Transpose, Squeeze, Unsqueeze and Cast evaluate on known inputs, which
// folds the shape-computing subgraphs exporters emit.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/CastSupport.h"
#include "compiler/frontends/onnx/GraphImporter.h"
#include "compiler/frontends/onnx/NodeContext.h"
#include "compiler/frontends/onnx/OnnxModel.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

/// The static shape of input `i`, or an error naming `why` it must be static.
static std::optional<SmallVector<int64_t>>
requireStaticShape(NodeContext &ctx, unsigned i, StringRef why) {
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return std::nullopt;
  if (!type.hasStaticShape()) {
    ctx.emitUnsupported() << why << " needs a static input shape, got " << type;
    return std::nullopt;
  }
  return SmallVector<int64_t>(type.getShape());
}

/// Flat row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

//===----------------------------------------------------------------------===//
// Constants and casts
//===----------------------------------------------------------------------===//

static void importConstant(NodeContext &ctx) {
  if (!ctx.checkNumInputs(0, 0))
    return;
  MLIRContext *context = ctx.getContext();
  for (StringRef name : {"sparse_value", "value_string", "value_strings"})
    ctx.rejectAttr(name, "is not supported (sparse and string constants)");
  if (ctx.hasFailed())
    return;
  if (ctx.hasAttr("value_float")) {
    HostTensor value(FloatType::getF32(context), {});
    value.setFromDouble(0, ctx.getFloat("value_float", 0));
    return ctx.setOutput(0, std::move(value));
  }
  if (ctx.hasAttr("value_int")) {
    int64_t v = ctx.getInt("value_int", 0);
    return ctx.setOutput(0, HostTensor::ofInt64s(context, {v}, {}));
  }
  if (ctx.hasAttr("value_ints")) {
    auto values = ctx.getInts("value_ints");
    if (!values)
      return;
    int64_t n = values->size();
    return ctx.setOutput(0, HostTensor::ofInt64s(context, *values, {n}));
  }
  if (ctx.hasAttr("value_floats")) {
    auto values = ctx.getFloats("value_floats");
    if (!values)
      return;
    HostTensor value(FloatType::getF32(context),
                     {static_cast<int64_t>(values->size())});
    for (auto [i, v] : llvm::enumerate(*values))
      value.setFromDouble(i, v);
    return ctx.setOutput(0, std::move(value));
  }
  const ::onnx::TensorProto *tensor = ctx.getTensor("value");
  if (!tensor) {
    if (!ctx.hasFailed())
      ctx.emitError() << "has no value attribute";
    return;
  }
  auto count = checkedElementCount(
      SmallVector<int64_t>(tensor->dims().begin(), tensor->dims().end()));
  if (count && *count <= kMaxHostElements) {
    if (auto value = ctx.decodeTensor(*tensor))
      ctx.setOutput(0, std::move(*value));
    return;
  }
  if (!count)
    llvm::consumeError(count.takeError());
  ctx.setOutput(0, ctx.createTensorConstant(*tensor));
}

/// BitCast (opset 26): each element's bits read as the `to` type of the
/// same width. A bool is one byte holding 0 or 1 in ONNX, so bool to and
/// from 8-bit integers is a value cast.
static void importBitCast(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  int64_t to = ctx.getInt("to", 0);
  if (!type || ctx.hasFailed())
    return;
  Type elementType = getElementType(ctx.getContext(), static_cast<int32_t>(to));
  if (!elementType || !elementType.isIntOrFloat() ||
      !type.getElementType().isIntOrFloat()) {
    ctx.emitUnsupported() << "BitCast to data type "
                          << getDataTypeName(static_cast<int32_t>(to));
    return;
  }
  Type from = type.getElementType();
  auto resultType = type.clone(elementType);
  auto isBoolAndByte = [](Type a, Type b) {
    return a.isInteger(1) && b.isIntOrIndex() && b.getIntOrFloatBitWidth() == 8;
  };
  if (isBoolAndByte(from, elementType) || isBoolAndByte(elementType, from)) {
    ctx.setOutput(
        0, ctx.createWithType<kiln::CastOp>(resultType, ctx.getInput(0)));
    return;
  }
  if (from.getIntOrFloatBitWidth() != elementType.getIntOrFloatBitWidth() ||
      from.isInteger(1) || elementType.isInteger(1)) {
    ctx.emitError() << "BitCast needs types of one width, got " << from
                    << " and " << elementType;
    return;
  }
  ctx.setOutput(
      0, ctx.createWithType<kiln::BitcastOp>(resultType, ctx.getInput(0)));
}

static void importCast(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  int64_t to = 0;
  if (ctx.getOpset() < 6) {
    // Cast-1 names the type as a string ("FLOAT", "INT64", ...).
    ::onnx::TensorProto_DataType parsed;
    std::string name = ctx.getString("to", "");
    if (!::onnx::TensorProto_DataType_Parse(name, &parsed) &&
        !ctx.hasFailed()) {
      ctx.emitError() << "unknown data type '" << name << "'";
      return;
    }
    to = parsed;
  } else {
    to = ctx.getInt("to", 0);
  }
  Type elementType = getElementType(ctx.getContext(), static_cast<int32_t>(to));
  if (ctx.hasFailed())
    return;
  if (!elementType) {
    ctx.emitUnsupported() << "cast to data type "
                          << getDataTypeName(static_cast<int32_t>(to));
    return;
  }
  bool saturate = false;
  if (!getSaturate(ctx, saturate))
    return;
  setCastOutput(ctx, elementType, saturate);
}

//===----------------------------------------------------------------------===//
// Shape queries
//===----------------------------------------------------------------------===//

static void importShape(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  auto shape = requireStaticShape(ctx, 0, "Shape");
  if (!shape)
    return;
  int64_t rank = shape->size();
  int64_t start = ctx.getOpset() >= 15 ? ctx.getInt("start", 0) : 0;
  int64_t end = ctx.getOpset() >= 15 ? ctx.getInt("end", rank) : rank;
  // Out-of-range start/end clamp to [0, rank] (ONNX Shape-15).
  auto clampAxis = [&](int64_t axis) {
    if (axis < 0)
      axis += rank;
    return std::clamp<int64_t>(axis, 0, rank);
  };
  start = clampAxis(start);
  end = std::max(start, clampAxis(end));
  ArrayRef<int64_t> dims = ArrayRef(*shape).slice(start, end - start);
  ctx.setOutput(0, HostTensor::ofInt64s(ctx.getContext(), dims,
                                        {static_cast<int64_t>(dims.size())}));
}

static void importSize(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  auto shape = requireStaticShape(ctx, 0, "Size");
  if (!shape)
    return;
  int64_t count = *kiln::numElements(*shape);
  ctx.setOutput(0, HostTensor::ofInt64s(ctx.getContext(), {count}, {}));
}

static void importConstantOfShape(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  auto dims = ctx.requireConstantInts(0, "the shape");
  if (!dims)
    return;
  auto count = checkedElementCount(*dims);
  if (!count) {
    ctx.emitError() << "invalid shape: " << llvm::toString(count.takeError());
    return;
  }
  HostTensor fill(FloatType::getF32(ctx.getContext()), {});
  if (const ::onnx::TensorProto *tensor = ctx.getTensor("value")) {
    auto decoded = ctx.decodeTensor(*tensor);
    if (!decoded)
      return;
    if (decoded->size() != 1) {
      ctx.emitError() << "value must hold exactly one element";
      return;
    }
    fill = decoded->reshaped({});
  }
  if (ctx.hasFailed())
    return;
  auto type = RankedTensorType::get(*dims, fill.getElementType());
  if (*count <= kMaxHostElements) {
    HostTensor result(fill.getElementType(), *dims);
    for (int64_t i = 0; i < *count; ++i)
      result.setFromDouble(i, fill.getDouble(0));
    return ctx.setOutput(0, std::move(result));
  }
  auto splat =
      DenseElementsAttr::get(type, fill.toAttr().getValues<Attribute>()[0]);
  ctx.setOutput(
      0, ctx.getBuilder().create<kiln::ConstantOp>(ctx.getLoc(), type, splat));
}

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

/// Reshapes input 0 to `shape`, on the host when its contents are known.
static void setReshaped(NodeContext &ctx, ArrayRef<int64_t> shape) {
  if (const HostTensor *input = ctx.getConstantInput(0))
    return ctx.setOutput(0, input->reshaped(shape));
  ctx.setOutput(0, ctx.createReshape(ctx.getInput(0), shape));
}

static void importReshape(NodeContext &ctx) {
  bool fromAttr = ctx.getOpset() < 5; // Reshape-1 takes a `shape` attribute.
  if (!ctx.checkNumInputs(fromAttr ? 1 : 2, fromAttr ? 1 : 2))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Reshape");
  auto target = fromAttr ? ctx.getInts("shape")
                         : ctx.requireConstantInts(1, "the target shape");
  if (fromAttr && !target && !ctx.hasFailed())
    ctx.emitError() << "needs the 'shape' attribute";
  if (!inShape || !target)
    return;
  bool allowZero = ctx.getOpset() >= 14 && ctx.getInt("allowzero", 0) != 0;
  int64_t inferred = -1, known = 1;
  SmallVector<int64_t> shape;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !allowZero) {
      if (i >= inShape->size()) {
        ctx.emitError() << "target dimension " << i
                        << " is 0 (copy) but the input has rank "
                        << inShape->size();
        return;
      }
      d = (*inShape)[i];
    }
    if (d == -1) {
      if (inferred >= 0) {
        ctx.emitError() << "target shape has more than one -1";
        return;
      }
      inferred = i;
    } else if (d < 0 || d > kMaxDimension) {
      ctx.emitError() << "target dimension " << i << " is invalid (" << d
                      << ")";
      return;
    } else if (d != 0 && known > INT64_MAX / d) {
      ctx.emitError() << "target shape overflows";
      return;
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  int64_t count = *kiln::numElements(*inShape);
  if (inferred >= 0) {
    if (known == 0 || count % known != 0) {
      ctx.emitError() << "cannot infer the -1 dimension: " << count
                      << " elements do not divide into " << known;
      return;
    }
    shape[inferred] = count / known;
  } else if (known != count) {
    ctx.emitError() << "cannot reshape " << count << " elements into " << known;
    return;
  }
  setReshaped(ctx, shape);
}

static void importFlatten(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Flatten");
  if (!inShape)
    return;
  int64_t rank = inShape->size();
  int64_t axis = ctx.getInt("axis", 1);
  // axis == rank is valid: everything goes into the first dimension.
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank) {
    ctx.emitError() << "axis " << ctx.getInt("axis", 1)
                    << " is out of range for rank " << rank;
    return;
  }
  ArrayRef<int64_t> dims = *inShape;
  setReshaped(ctx, {*kiln::numElements(dims.take_front(axis)),
                    *kiln::numElements(dims.drop_front(axis))});
}

/// Axes from the `axes` attribute (before `inputOpset`) or input 1.
static std::optional<std::vector<int64_t>>
getAxes(NodeContext &ctx, int64_t inputOpset, bool required) {
  if (ctx.getOpset() < inputOpset) {
    auto axes = ctx.getInts("axes");
    if (!axes && required && !ctx.hasFailed())
      ctx.emitError() << "needs the 'axes' attribute";
    return axes ? axes
                : std::optional<std::vector<int64_t>>(std::vector<int64_t>{});
  }
  if (!ctx.hasInput(1)) {
    if (required)
      ctx.emitError() << "needs the 'axes' input";
    return std::vector<int64_t>{};
  }
  return ctx.requireConstantInts(1, "axes");
}

/// Normalizes axes against `rank`; errors on out-of-range or repeated axes.
static std::optional<SmallVector<int64_t>>
normalizeAxes(NodeContext &ctx, ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t axis : axes) {
    auto normalized = ctx.normalizeAxis(axis, rank);
    if (!normalized)
      return std::nullopt;
    if (llvm::is_contained(result, *normalized)) {
      ctx.emitError() << "axis " << axis << " is repeated";
      return std::nullopt;
    }
    result.push_back(*normalized);
  }
  llvm::sort(result);
  return result;
}

static void importSqueeze(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, ctx.getOpset() >= 13 ? 2 : 1))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Squeeze");
  auto axes = getAxes(ctx, 13, /*required=*/false);
  if (!inShape || !axes || ctx.hasFailed())
    return;
  int64_t rank = inShape->size();
  auto dropped = normalizeAxes(ctx, *axes, rank);
  if (!dropped)
    return;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = (*inShape)[d];
    bool drop = axes->empty() ? size == 1 : llvm::is_contained(*dropped, d);
    if (drop && size != 1) {
      ctx.emitError() << "cannot squeeze dimension " << d << " of size "
                      << size;
      return;
    }
    if (!drop)
      shape.push_back(size);
  }
  setReshaped(ctx, shape);
}

static void importUnsqueeze(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, ctx.getOpset() >= 13 ? 2 : 1))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Unsqueeze");
  auto axes = getAxes(ctx, 13, /*required=*/true);
  if (!inShape || !axes || ctx.hasFailed())
    return;
  int64_t outRank = inShape->size() + axes->size();
  auto inserted = normalizeAxes(ctx, *axes, outRank);
  if (!inserted)
    return;
  SmallVector<int64_t> shape;
  auto next = inShape->begin();
  for (int64_t d = 0; d < outRank; ++d)
    shape.push_back(llvm::is_contained(*inserted, d) ? 1 : *next++);
  setReshaped(ctx, shape);
}

//===----------------------------------------------------------------------===//
// Transpose and Concat
//===----------------------------------------------------------------------===//

/// Transposes a known tensor on the host; nullopt when `perm` is not a
/// permutation of its dimensions (kiln.transpose then reports it).
static std::optional<HostTensor> transposeOnHost(const HostTensor &input,
                                                 ArrayRef<int64_t> perm) {
  ArrayRef<int64_t> inShape = input.getShape();
  int64_t rank = inShape.size();
  if (static_cast<int64_t>(perm.size()) != rank)
    return std::nullopt;
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return std::nullopt;
    seen[p] = true;
    shape.push_back(inShape[p]);
  }
  HostTensor result(input.getElementType(), shape);
  SmallVector<int64_t> inStrides = stridesOf(inShape);
  for (int64_t out = 0; out < result.size(); ++out) {
    int64_t rest = out, src = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      src += (rest % shape[d]) * inStrides[perm[d]];
      rest /= shape[d];
    }
    if (result.isFloat())
      result.setFromDouble(out, input.getDouble(src));
    else
      result.setFromInt(out, input.getInt(src));
  }
  return result;
}

static void importTranspose(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  auto perm = ctx.getInts("perm");
  if (!type || ctx.hasFailed())
    return;
  SmallVector<int64_t> permutation;
  if (perm)
    permutation.assign(perm->begin(), perm->end());
  else // Default: reverse the dimensions.
    for (int64_t d = type.getRank() - 1; d >= 0; --d)
      permutation.push_back(d);
  // Exporters transpose computed pad amounts (torchvision's Swin builds
  // F.pad's argument that way): fold known inputs so the shape-computing
  // subgraph stays known at compile time.
  if (const HostTensor *input = ctx.getConstantInput(0))
    if (auto result = transposeOnHost(*input, permutation))
      return ctx.setOutput(0, std::move(*result));
  ctx.setOutput(0, ctx.create<kiln::TransposeOp>(ctx.getInput(0), permutation));
}

/// Concatenates known tensors along `axis` on the host.
static std::optional<HostTensor>
concatOnHost(ArrayRef<const HostTensor *> inputs, int64_t axis) {
  const HostTensor &first = *inputs.front();
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (const HostTensor *input : inputs) {
    if (input->getElementType() != first.getElementType() ||
        input->getShape().size() != shape.size())
      return std::nullopt;
    for (size_t d = 0; d < shape.size(); ++d)
      if (static_cast<int64_t>(d) != axis &&
          input->getShape()[d] != first.getShape()[d])
        return std::nullopt;
    shape[axis] += input->getShape()[axis];
  }
  HostTensor result(first.getElementType(), shape);
  int64_t outer = *kiln::numElements(ArrayRef(shape).take_front(axis));
  int64_t out = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (const HostTensor *input : inputs) {
      int64_t chunk = *kiln::numElements(input->getShape().drop_front(axis));
      for (int64_t i = 0; i < chunk; ++i, ++out) {
        int64_t src = o * chunk + i;
        if (result.isFloat())
          result.setFromDouble(out, input->getDouble(src));
        else
          result.setFromInt(out, input->getInt(src));
      }
    }
  }
  return result;
}

static void importConcat(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, UINT32_MAX))
    return;
  RankedTensorType firstType = ctx.getInputType(0);
  if (!firstType)
    return;
  // Concat-1 defaults to axis 1; later versions require the attribute.
  if (!ctx.hasAttr("axis") && ctx.getOpset() >= 4) {
    ctx.emitError() << "needs the 'axis' attribute";
    return;
  }
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", 1), firstType.getRank());
  if (!axis)
    return;
  SmallVector<const HostTensor *> known;
  for (unsigned i = 0; i < ctx.getNumInputs(); ++i)
    if (const HostTensor *input = ctx.getConstantInput(i))
      known.push_back(input);
  if (known.size() == ctx.getNumInputs()) {
    if (auto result = concatOnHost(known, *axis))
      return ctx.setOutput(0, std::move(*result));
  }
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < ctx.getNumInputs(); ++i)
    inputs.push_back(ctx.getInput(i));
  if (ctx.hasFailed())
    return;
  ctx.setOutput(0, ctx.create<kiln::ConcatOp>(ValueRange(inputs), *axis));
}

//===----------------------------------------------------------------------===//
// Slice and Gather
//===----------------------------------------------------------------------===//

/// Copies the elements of `input` at `starts + i * steps` into a tensor of
/// shape `sizes`.
static HostTensor sliceOnHost(const HostTensor &input, ArrayRef<int64_t> starts,
                              ArrayRef<int64_t> sizes,
                              ArrayRef<int64_t> steps) {
  HostTensor result(input.getElementType(), sizes);
  SmallVector<int64_t> inStrides = stridesOf(input.getShape());
  int64_t rank = sizes.size();
  for (int64_t out = 0; out < result.size(); ++out) {
    int64_t rest = out, src = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t coord = rest % sizes[d];
      rest /= sizes[d];
      src += (starts[d] + coord * steps[d]) * inStrides[d];
    }
    if (result.isFloat())
      result.setFromDouble(out, input.getDouble(src));
    else
      result.setFromInt(out, input.getInt(src));
  }
  return result;
}

static void importSlice(NodeContext &ctx) {
  bool fromInputs = ctx.getOpset() >= 10;
  if (!ctx.checkNumInputs(fromInputs ? 3 : 1, fromInputs ? 5 : 1))
    return;
  auto inShape = requireStaticShape(ctx, 0, "Slice");
  if (!inShape)
    return;
  int64_t rank = inShape->size();
  std::optional<std::vector<int64_t>> starts, ends, axes, steps;
  if (fromInputs) {
    starts = ctx.requireConstantInts(1, "starts");
    ends = ctx.requireConstantInts(2, "ends");
    if (ctx.hasInput(3))
      axes = ctx.requireConstantInts(3, "axes");
    if (ctx.hasInput(4))
      steps = ctx.requireConstantInts(4, "steps");
  } else {
    starts = ctx.getInts("starts");
    ends = ctx.getInts("ends");
    axes = ctx.getInts("axes");
  }
  if (ctx.hasFailed())
    return;
  if (!starts || !ends || starts->size() != ends->size()) {
    ctx.emitError() << "needs starts and ends of equal length";
    return;
  }
  size_t n = starts->size();
  if (!axes) {
    axes.emplace();
    for (size_t i = 0; i < n; ++i)
      axes->push_back(i);
  }
  if (!steps)
    steps = std::vector<int64_t>(n, 1);
  if (axes->size() != n || steps->size() != n) {
    ctx.emitError() << "starts, ends, axes and steps differ in length";
    return;
  }
  auto normalized = normalizeAxes(ctx, *axes, rank);
  if (!normalized)
    return;
  SmallVector<int64_t> outStarts(rank, 0), sizes(*inShape), outSteps(rank, 1);
  for (size_t i = 0; i < n; ++i) {
    int64_t axis = *ctx.normalizeAxis((*axes)[i], rank);
    int64_t dim = (*inShape)[axis], step = (*steps)[i];
    if (step == 0) {
      ctx.emitError() << "step for axis " << axis << " is 0";
      return;
    }
    int64_t start = (*starts)[i], end = (*ends)[i];
    // Clamp per the ONNX Slice definition (INT64_MIN/MAX mean "to the end").
    if (start < 0)
      start += dim; // Cannot overflow: dim >= 0.
    if (end < 0)
      end += dim;
    int64_t size;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      size = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      size = start > end ? (start - end + (-step) - 1) / (-step) : 0;
    }
    outStarts[axis] = size == 0 ? 0 : start;
    sizes[axis] = size;
    outSteps[axis] = step;
  }
  if (const HostTensor *input = ctx.getConstantInput(0))
    return ctx.setOutput(0, sliceOnHost(*input, outStarts, sizes, outSteps));
  ctx.setOutput(0, ctx.create<kiln::SliceOp>(ctx.getInput(0), outStarts, sizes,
                                             outSteps));
}

static void importGather(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 2))
    return;
  RankedTensorType dataType = ctx.getInputType(0);
  RankedTensorType indicesType = ctx.getInputType(1);
  if (!dataType || !indicesType)
    return;
  auto axis = ctx.normalizeAxis(ctx.getInt("axis", 0), dataType.getRank());
  if (!axis)
    return;
  const HostTensor *data = ctx.getConstantInput(0);
  const HostTensor *indices = ctx.getConstantInput(1);
  int64_t dim = dataType.getDimSize(*axis);
  if (indices && !ShapedType::isDynamic(dim)) {
    for (int64_t i = 0; i < indices->size(); ++i) {
      int64_t index = indices->getInt(i);
      if (index < -dim || index >= dim) {
        ctx.emitError() << "index " << index << " is out of range for axis "
                        << *axis << " of size " << dim;
        return;
      }
    }
  }
  if (data && indices) {
    // out[o, i, r] = data[o, idx[i], r] with o/r the outer/inner extents.
    ArrayRef<int64_t> shape = data->getShape();
    int64_t outer = *kiln::numElements(shape.take_front(*axis));
    int64_t inner = *kiln::numElements(shape.drop_front(*axis + 1));
    SmallVector<int64_t> outShape(shape.take_front(*axis));
    llvm::append_range(outShape, indices->getShape());
    llvm::append_range(outShape, shape.drop_front(*axis + 1));
    HostTensor result(data->getElementType(), outShape);
    int64_t out = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < indices->size(); ++i) {
        int64_t index = indices->getInt(i);
        index = index < 0 ? index + dim : index;
        for (int64_t r = 0; r < inner; ++r, ++out) {
          int64_t src = (o * dim + index) * inner + r;
          if (result.isFloat())
            result.setFromDouble(out, data->getDouble(src));
          else
            result.setFromInt(out, data->getInt(src));
        }
      }
    return ctx.setOutput(0, std::move(result));
  }
  ctx.setOutput(
      0, ctx.create<kiln::GatherOp>(ctx.getInput(0), ctx.getInput(1), *axis));
}

void mlir::kiln::onnx::addTensorRules(ImportRuleMap &rules) {
  rules["Constant"] = importConstant;
  rules["Cast"] = importCast;
  rules["BitCast"] = importBitCast;
  rules["Shape"] = importShape;
  rules["Size"] = importSize;
  rules["ConstantOfShape"] = importConstantOfShape;
  rules["Reshape"] = importReshape;
  rules["Flatten"] = importFlatten;
  rules["Squeeze"] = importSqueeze;
  rules["Unsqueeze"] = importUnsqueeze;
  rules["Transpose"] = importTranspose;
  rules["Concat"] = importConcat;
  rules["Slice"] = importSlice;
  rules["Gather"] = importGather;
}
