//===- KilnOps.cpp - kiln op verifiers and type inference -----------------===//
//
// Part of Kiln. Result type inference doubles as verification: the
// InferTypeOpInterface verifier re-runs inference and compares, so each rule
// below reports a located error instead of asserting.
//
//===----------------------------------------------------------------------===//

#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::kiln;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Formats a shape the way MLIR types print it: `2x?x3`, or `scalar`.
static std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  return llvm::join(llvm::map_range(shape,
                                    [](int64_t d) -> std::string {
                                      return ShapedType::isDynamic(d)
                                                 ? "?"
                                                 : std::to_string(d);
                                    }),
                    "x");
}

static RankedTensorType rankedType(Value value) {
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}

/// Dimensions agree when equal or when either is dynamic.
static bool dimsCompatible(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

static LogicalResult inferSameType(std::optional<Location> loc, Value input,
                                   SmallVectorImpl<Type> &types) {
  auto type = rankedType(input);
  if (!type)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  types.push_back(type);
  return success();
}

/// Shared rule of the broadcasting binary ops.
static LogicalResult inferBroadcast(std::optional<Location> loc,
                                    StringRef opName, Value lhs, Value rhs,
                                    SmallVectorImpl<Type> &types) {
  auto lhsType = rankedType(lhs), rhsType = rankedType(rhs);
  if (!lhsType || !rhsType)
    return emitOptionalError(loc, "'", opName,
                             "' expects ranked tensor operands");
  if (lhsType.getElementType() != rhsType.getElementType())
    return emitOptionalError(loc, "'", opName,
                             "' operand element types differ: ",
                             lhsType.getElementType(), " vs ",
                             rhsType.getElementType());
  auto shape = broadcastShapes(lhsType.getShape(), rhsType.getShape());
  if (!shape)
    return emitOptionalError(loc, "'", opName, "' operand shapes ",
                             formatShape(lhsType.getShape()), " and ",
                             formatShape(rhsType.getShape()),
                             " are not broadcast-compatible");
  types.push_back(RankedTensorType::get(*shape, lhsType.getElementType()));
  return success();
}

/// Checks that every axis in `axes` lies in [0, rank).
static LogicalResult checkAxis(std::optional<Location> loc, StringRef opName,
                               int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return emitOptionalError(loc, "'", opName, "' axis ", axis,
                             " is out of range for rank ", rank);
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto value = adaptor.getValueAttr();
  auto type = value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
  if (!type)
    return emitOptionalError(loc, "'kiln.constant' value must be a ranked "
                                  "tensor attribute");
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

#define KILN_BROADCAST_INFERENCE(OP)                                           \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferBroadcast(loc, OP::getOperationName(), adaptor.getLhs(),       \
                          adaptor.getRhs(), types);                            \
  }
KILN_BROADCAST_INFERENCE(AddOp)
KILN_BROADCAST_INFERENCE(SubOp)
KILN_BROADCAST_INFERENCE(MulOp)
KILN_BROADCAST_INFERENCE(DivOp)
KILN_BROADCAST_INFERENCE(PowOp)
KILN_BROADCAST_INFERENCE(MaxOp)
KILN_BROADCAST_INFERENCE(MinOp)
#undef KILN_BROADCAST_INFERENCE

#define KILN_SAME_TYPE_INFERENCE(OP)                                           \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferSameType(loc, adaptor.getInput(), types);                      \
  }
KILN_SAME_TYPE_INFERENCE(NegOp)
KILN_SAME_TYPE_INFERENCE(AbsOp)
KILN_SAME_TYPE_INFERENCE(ExpOp)
KILN_SAME_TYPE_INFERENCE(LogOp)
KILN_SAME_TYPE_INFERENCE(SqrtOp)
KILN_SAME_TYPE_INFERENCE(ReluOp)
KILN_SAME_TYPE_INFERENCE(SigmoidOp)
KILN_SAME_TYPE_INFERENCE(TanhOp)
KILN_SAME_TYPE_INFERENCE(ErfOp)
KILN_SAME_TYPE_INFERENCE(ClipOp)
#undef KILN_SAME_TYPE_INFERENCE

LogicalResult ClipOp::verify() {
  auto min = getMinAttr(), max = getMaxAttr();
  if (min && max && min.getValueAsDouble() > max.getValueAsDouble())
    return emitOpError("min (") << min.getValueAsDouble()
                               << ") is greater than max ("
                               << max.getValueAsDouble() << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = rankedType(adaptor.getLhs()), rhs = rankedType(adaptor.getRhs());
  if (!lhs || !rhs)
    return emitOptionalError(loc, "'kiln.matmul' expects ranked operands");
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "'kiln.matmul' operand element types "
                                  "differ: ",
                             lhs.getElementType(), " vs ",
                             rhs.getElementType());
  auto shape = matmulShape(lhs.getShape(), rhs.getShape());
  if (!shape)
    return emitOptionalError(loc, "'kiln.matmul' cannot multiply shapes ",
                             formatShape(lhs.getShape()), " and ",
                             formatShape(rhs.getShape()));
  types.push_back(RankedTensorType::get(*shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto outType = cast<RankedTensorType>(getType());
  if (inType.getElementType() != outType.getElementType())
    return emitOpError("element type changes from ")
           << inType.getElementType() << " to " << outType.getElementType();
  if (!inType.hasStaticShape() || !outType.hasStaticShape())
    return emitOpError("requires static shapes");
  if (inType.getNumElements() != outType.getNumElements())
    return emitOpError("cannot reshape ")
           << formatShape(inType.getShape()) << " ("
           << inType.getNumElements() << " elements) to "
           << formatShape(outType.getShape()) << " ("
           << outType.getNumElements() << " elements)";
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || !adaptor.getPermutationAttr())
    return emitOptionalError(loc, "'kiln.transpose' expects a ranked operand "
                                  "and a permutation");
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  if (!isPermutation(perm, type.getRank()))
    return emitOptionalError(loc, "'kiln.transpose' permutation [",
                             llvm::join(llvm::map_range(perm,
                                                        [](int64_t p) {
                                                          return std::to_string(
                                                              p);
                                                        }),
                                        ", "),
                             "] is not a permutation of rank ",
                             type.getRank());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty() || !adaptor.getAxisAttr())
    return emitOptionalError(loc, "'kiln.concat' needs at least one input");
  auto first = rankedType(inputs.front());
  if (!first)
    return emitOptionalError(loc, "'kiln.concat' expects ranked operands");
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (failed(checkAxis(loc, "kiln.concat", axis, first.getRank())))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (auto [i, input] : llvm::enumerate(inputs.drop_front())) {
    auto type = rankedType(input);
    if (!type || type.getRank() != first.getRank() ||
        type.getElementType() != first.getElementType())
      return emitOptionalError(loc, "'kiln.concat' input ", i + 1,
                               " differs in rank or element type from "
                               "input 0");
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      if (d == axis) {
        shape[d] = ShapedType::isDynamic(shape[d]) ||
                           ShapedType::isDynamic(size)
                       ? ShapedType::kDynamic
                       : shape[d] + size;
      } else if (!dimsCompatible(shape[d], size)) {
        return emitOptionalError(loc, "'kiln.concat' input ", i + 1,
                                 " has size ", size, " in dimension ", d,
                                 " but input 0 has ", shape[d]);
      }
    }
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || !adaptor.getStartsAttr() || !adaptor.getSizesAttr() ||
      !adaptor.getStepsAttr())
    return emitOptionalError(loc, "'kiln.slice' expects a ranked operand "
                                  "with starts, sizes and steps");
  ArrayRef<int64_t> starts = adaptor.getStarts(), sizes = adaptor.getSizes(),
                    steps = adaptor.getSteps();
  int64_t rank = type.getRank();
  if ((int64_t)starts.size() != rank || (int64_t)sizes.size() != rank ||
      (int64_t)steps.size() != rank)
    return emitOptionalError(loc, "'kiln.slice' starts, sizes and steps "
                                  "need one entry per dimension (",
                             rank, ")");
  for (int64_t d = 0; d < rank; ++d) {
    if (steps[d] == 0 || sizes[d] < 0)
      return emitOptionalError(loc, "'kiln.slice' dimension ", d,
                               " has a zero step or a negative size");
    int64_t dim = type.getDimSize(d);
    if (ShapedType::isDynamic(dim))
      continue;
    bool startOk = sizes[d] == 0 ? starts[d] >= 0 && starts[d] <= dim
                                 : starts[d] >= 0 && starts[d] < dim;
    // Computed in 128 bits: attributes come from untrusted models.
    __int128 last = (__int128)starts[d] + (__int128)(sizes[d] - 1) * steps[d];
    if (!startOk || (sizes[d] > 0 && (last < 0 || last >= dim)))
      return emitOptionalError(loc, "'kiln.slice' dimension ", d,
                               " reads outside [0, ", dim, ")");
  }
  types.push_back(RankedTensorType::get(sizes, type.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto data = rankedType(adaptor.getData());
  auto indices = rankedType(adaptor.getIndices());
  if (!data || !indices || !adaptor.getAxisAttr())
    return emitOptionalError(loc, "'kiln.gather' expects ranked operands");
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (failed(checkAxis(loc, "kiln.gather", axis, data.getRank())))
    return failure();
  SmallVector<int64_t> shape(data.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult CastOp::verify() {
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto outType = cast<RankedTensorType>(getType());
  if (inType.getShape() != outType.getShape())
    return emitOpError("changes the shape from ")
           << formatShape(inType.getShape()) << " to "
           << formatShape(outType.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization and reductions
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || !adaptor.getAxisAttr())
    return emitOptionalError(loc, "'kiln.softmax' expects a ranked operand");
  if (failed(checkAxis(loc, "kiln.softmax", adaptor.getAxisAttr().getInt(),
                       type.getRank())))
    return failure();
  types.push_back(type);
  return success();
}

static LogicalResult inferReduce(std::optional<Location> loc,
                                 StringRef opName, Value input,
                                 DenseI64ArrayAttr axesAttr, bool keepDims,
                                 SmallVectorImpl<Type> &types) {
  auto type = rankedType(input);
  if (!type || !axesAttr)
    return emitOptionalError(loc, "'", opName, "' expects a ranked operand");
  ArrayRef<int64_t> axes = axesAttr.asArrayRef();
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (failed(checkAxis(loc, opName, axis, type.getRank())))
      return failure();
    if (i > 0 && axes[i - 1] >= axis)
      return emitOptionalError(loc, "'", opName,
                               "' axes must be sorted and unique");
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(type.getDimSize(d));
    else if (keepDims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

#define KILN_REDUCE_INFERENCE(OP)                                              \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &types) {           \
    return inferReduce(loc, OP::getOperationName(), adaptor.getInput(),       \
                       adaptor.getAxesAttr(), adaptor.getKeepDims(), types);   \
  }
KILN_REDUCE_INFERENCE(ReduceSumOp)
KILN_REDUCE_INFERENCE(ReduceMeanOp)
KILN_REDUCE_INFERENCE(ReduceMaxOp)
#undef KILN_REDUCE_INFERENCE

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || type.getRank() < 2)
    return emitOptionalError(loc, "'kiln.batch_norm' expects an input of "
                                  "rank >= 2 (N x C x ...)");
  int64_t channels = type.getDimSize(1);
  for (Value param : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                      adaptor.getVariance()}) {
    auto paramType = rankedType(param);
    if (!paramType || paramType.getRank() != 1 ||
        !dimsCompatible(paramType.getDimSize(0), channels))
      return emitOptionalError(loc, "'kiln.batch_norm' parameters must be "
                                    "1-D with ",
                               channels, " channels");
  }
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// Checks the window attributes shared by conv2d and the 2-D pools.
static LogicalResult checkWindow(std::optional<Location> loc, StringRef opName,
                                 ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> padding) {
  if (strides.size() != 2 || dilations.size() != 2 || padding.size() != 4)
    return emitOptionalError(loc, "'", opName,
                             "' expects 2 strides, 2 dilations and 4 pads");
  if (llvm::any_of(strides, [](int64_t s) { return s <= 0; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d <= 0; }) ||
      llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "'", opName,
                             "' strides and dilations must be positive and "
                             "pads non-negative");
  return success();
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  if (!input || !filter || input.getRank() != 4 || filter.getRank() != 4)
    return emitOptionalError(loc, "'kiln.conv2d' expects a rank-4 input and "
                                  "filter");
  if (!adaptor.getStridesAttr() || !adaptor.getDilationsAttr() ||
      !adaptor.getPaddingAttr() || !adaptor.getGroupsAttr())
    return emitOptionalError(loc, "'kiln.conv2d' is missing attributes");
  ArrayRef<int64_t> strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    padding = adaptor.getPadding();
  if (failed(checkWindow(loc, "kiln.conv2d", strides, dilations, padding)))
    return failure();
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, "'kiln.conv2d' input and filter element "
                                  "types differ");
  int64_t groups = adaptor.getGroupsAttr().getInt();
  int64_t channels = input.getDimSize(1), outChannels = filter.getDimSize(0);
  if (groups <= 0 ||
      (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0))
    return emitOptionalError(loc, "'kiln.conv2d' groups (", groups,
                             ") must be positive and divide the ",
                             outChannels, " output channels");
  if (!ShapedType::isDynamic(channels) &&
      channels != filter.getDimSize(1) * groups)
    return emitOptionalError(loc, "'kiln.conv2d' input has ", channels,
                             " channels but filter expects ",
                             filter.getDimSize(1), " x ", groups, " groups");
  if (Value bias = adaptor.getBias()) {
    auto biasType = rankedType(bias);
    if (!biasType || biasType.getRank() != 1 ||
        !dimsCompatible(biasType.getDimSize(0), outChannels))
      return emitOptionalError(loc, "'kiln.conv2d' bias must be 1-D with ",
                               outChannels, " elements");
  }
  SmallVector<int64_t> shape = {input.getDimSize(0), outChannels};
  for (int d = 0; d < 2; ++d) {
    auto size = convOutputSize(input.getDimSize(2 + d), filter.getDimSize(2 + d),
                               strides[d], dilations[d], padding[d],
                               padding[2 + d]);
    if (!size)
      return emitOptionalError(loc, "'kiln.conv2d' kernel does not fit the "
                                    "padded input in spatial dimension ",
                               d);
    shape.push_back(*size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

template <typename Adaptor>
static LogicalResult inferPool2D(std::optional<Location> loc, StringRef opName,
                                 Adaptor adaptor,
                                 SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (!input || input.getRank() != 4)
    return emitOptionalError(loc, "'", opName,
                             "' expects a rank-4 (NCHW) input");
  if (!adaptor.getKernelAttr() || !adaptor.getStridesAttr() ||
      !adaptor.getDilationsAttr() || !adaptor.getPaddingAttr())
    return emitOptionalError(loc, "'", opName, "' is missing attributes");
  ArrayRef<int64_t> kernel = adaptor.getKernel(),
                    strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    padding = adaptor.getPadding();
  if (failed(checkWindow(loc, opName, strides, dilations, padding)))
    return failure();
  if (kernel.size() != 2 || kernel[0] <= 0 || kernel[1] <= 0)
    return emitOptionalError(loc, "'", opName,
                             "' expects 2 positive kernel sizes");
  SmallVector<int64_t> shape = {input.getDimSize(0), input.getDimSize(1)};
  for (int d = 0; d < 2; ++d) {
    auto size = poolOutputSize(input.getDimSize(2 + d), kernel[d], strides[d],
                               dilations[d], padding[d], padding[2 + d],
                               adaptor.getCeilMode());
    if (!size || *size <= 0)
      return emitOptionalError(loc, "'", opName,
                               "' window does not fit the padded input in "
                               "spatial dimension ",
                               d);
    shape.push_back(*size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool2D(loc, getOperationName(), adaptor, types);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool2D(loc, getOperationName(), adaptor, types);
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || type.getRank() < 3)
    return emitOptionalError(loc, "'kiln.global_avg_pool' expects an input "
                                  "of rank >= 3 (N x C x spatial...)");
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  shape.append(type.getRank() - 2, 1);
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "dialects/kiln/IR/KilnOps.cpp.inc"
