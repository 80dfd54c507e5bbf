//===- KilnOps.cpp - kiln op verifiers and type inference -----------------===//
//
// Part of Kiln. Result type inference doubles as verification: the
// InferTypeOpInterface verifier re-runs inference and compares, so each rule
// below reports a located error instead of asserting.
//
//===----------------------------------------------------------------------===//

#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "dialects/kiln/IR/KilnEnums.cpp.inc"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Formats a dimension the way MLIR types print it: `?` when dynamic.
static std::string formatDim(int64_t dim) {
  return ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
}

/// Formats a shape the way MLIR types print it: `2x?x3`, or `scalar`.
static std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  return llvm::join(llvm::map_range(shape, formatDim), "x");
}

/// Formats an integer list as `[a, b, c]`.
static std::string formatList(ArrayRef<int64_t> values) {
  return "[" +
         llvm::join(llvm::map_range(
                        values, [](int64_t v) { return std::to_string(v); }),
                    ", ") +
         "]";
}

static RankedTensorType rankedType(Value value) {
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}

/// Dimensions agree when equal or when either is dynamic.
static bool dimsCompatible(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

static LogicalResult inferSameType(std::optional<Location> loc,
                                   StringRef opName, Value input,
                                   SmallVectorImpl<Type> &types) {
  auto type = rankedType(input);
  if (!type)
    return emitOptionalError(loc, "'", opName,
                             "' expects a ranked tensor operand");
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
    return emitOptionalError(
        loc, "'", opName,
        "' operand element types differ: ", lhsType.getElementType(), " vs ",
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

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto value = adaptor.getValueAttr();
  auto type = value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
  if (!type)
    return emitOptionalError(
        loc, "'kiln.constant' value must be a ranked tensor attribute");
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

#define KILN_BROADCAST_INFERENCE(OP)                                           \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
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
KILN_BROADCAST_INFERENCE(AndOp)
KILN_BROADCAST_INFERENCE(OrOp)
KILN_BROADCAST_INFERENCE(XorOp)
KILN_BROADCAST_INFERENCE(ShiftLeftOp)
KILN_BROADCAST_INFERENCE(ShiftRightOp)
KILN_BROADCAST_INFERENCE(ModOp)
#undef KILN_BROADCAST_INFERENCE

#define KILN_SAME_TYPE_INFERENCE(OP)                                           \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferSameType(loc, OP::getOperationName(), adaptor.getInput(),      \
                         types);                                               \
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
KILN_SAME_TYPE_INFERENCE(FloorOp)
KILN_SAME_TYPE_INFERENCE(CeilOp)
KILN_SAME_TYPE_INFERENCE(RoundOp)
KILN_SAME_TYPE_INFERENCE(SignOp)
KILN_SAME_TYPE_INFERENCE(SinOp)
KILN_SAME_TYPE_INFERENCE(CosOp)
KILN_SAME_TYPE_INFERENCE(TanOp)
KILN_SAME_TYPE_INFERENCE(AsinOp)
KILN_SAME_TYPE_INFERENCE(AcosOp)
KILN_SAME_TYPE_INFERENCE(AtanOp)
KILN_SAME_TYPE_INFERENCE(SinhOp)
KILN_SAME_TYPE_INFERENCE(CoshOp)
KILN_SAME_TYPE_INFERENCE(AsinhOp)
KILN_SAME_TYPE_INFERENCE(AcoshOp)
KILN_SAME_TYPE_INFERENCE(AtanhOp)
KILN_SAME_TYPE_INFERENCE(NotOp)
#undef KILN_SAME_TYPE_INFERENCE

LogicalResult ModOp::verify() {
  if (isa<FloatType>(getType().getElementType()) && !getFmod())
    return emitOpError("on floats requires 'fmod' (the remainder takes the "
                       "sign of the dividend)");
  return success();
}

LogicalResult CompareOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(inferBroadcast(loc, CompareOp::getOperationName(),
                            adaptor.getLhs(), adaptor.getRhs(), types)))
    return failure();
  types.back() =
      cast<RankedTensorType>(types.back()).clone(IntegerType::get(ctx, 1));
  return success();
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto condType = rankedType(adaptor.getCondition());
  auto trueType = rankedType(adaptor.getTrueValue());
  auto falseType = rankedType(adaptor.getFalseValue());
  if (!condType || !trueType || !falseType)
    return emitOptionalError(loc, "'kiln.select' expects ranked operands");
  if (trueType.getElementType() != falseType.getElementType())
    return emitOptionalError(loc, "'kiln.select' value element types differ: ",
                             trueType.getElementType(), " vs ",
                             falseType.getElementType());
  auto shape = broadcastShapes(trueType.getShape(), falseType.getShape());
  if (shape)
    shape = broadcastShapes(condType.getShape(), *shape);
  if (!shape)
    return emitOptionalError(
        loc, "'kiln.select' operand shapes ", formatShape(condType.getShape()),
        ", ", formatShape(trueType.getShape()), " and ",
        formatShape(falseType.getShape()), " are not broadcast-compatible");
  types.push_back(RankedTensorType::get(*shape, trueType.getElementType()));
  return success();
}

LogicalResult ClipOp::verify() {
  auto min = getMinAttr(), max = getMaxAttr();
  for (FloatAttr bound : {min, max})
    if (bound && std::isnan(bound.getValueAsDouble()))
      return emitOpError("bounds must not be NaN");
  if (min && max && min.getValueAsDouble() > max.getValueAsDouble())
    return emitOpError("min (")
           << min.getValueAsDouble() << ") is greater than max ("
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
    return emitOptionalError(
        loc,
        "'kiln.matmul' operand element types differ: ", lhs.getElementType(),
        " vs ", rhs.getElementType());
  if (lhs.getRank() == 0 || rhs.getRank() == 0)
    return emitOptionalError(
        loc, "'kiln.matmul' operands must have rank >= 1, got shapes ",
        formatShape(lhs.getShape()), " and ", formatShape(rhs.getShape()));
  // A 1-D lhs is `1xK`, a 1-D rhs is `Kx1`.
  int64_t lhsK = lhs.getShape().back();
  int64_t rhsK = rhs.getShape()[rhs.getRank() == 1 ? 0 : rhs.getRank() - 2];
  if (!dimsCompatible(lhsK, rhsK))
    return emitOptionalError(
        loc, "'kiln.matmul' contracting dimensions differ: lhs ",
        formatShape(lhs.getShape()), " has K = ", formatDim(lhsK), " but rhs ",
        formatShape(rhs.getShape()), " has K = ", formatDim(rhsK));
  auto shape = matmulShape(lhs.getShape(), rhs.getShape());
  if (!shape)
    return emitOptionalError(
        loc, "'kiln.matmul' batch dimensions of ", formatShape(lhs.getShape()),
        " and ", formatShape(rhs.getShape()), " are not broadcast-compatible");
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
    return emitOpError("requires static shapes, got ")
           << formatShape(inType.getShape()) << " to "
           << formatShape(outType.getShape());
  // ShapedType::getNumElements would silently overflow.
  auto inCount = numElements(inType.getShape());
  auto outCount = numElements(outType.getShape());
  for (auto [type, count] : {std::pair(inType, inCount), {outType, outCount}})
    if (!count)
      return emitOpError("shape ")
             << formatShape(type.getShape()) << " has more than " << INT64_MAX
             << " elements";
  if (*inCount != *outCount)
    return emitOpError("cannot reshape ")
           << formatShape(inType.getShape()) << " (" << *inCount
           << " elements) to " << formatShape(outType.getShape()) << " ("
           << *outCount << " elements)";
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || !adaptor.getPermutationAttr())
    return emitOptionalError(
        loc, "'kiln.transpose' expects a ranked operand and a permutation");
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  if (!isPermutation(perm, type.getRank()))
    return emitOptionalError(loc, "'kiln.transpose' permutation ",
                             formatList(perm), " is not a permutation of rank ",
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
  if (inputs.empty())
    return emitOptionalError(loc, "'kiln.concat' needs at least one input");
  if (!adaptor.getAxisAttr())
    return emitOptionalError(loc, "'kiln.concat' is missing its axis");
  auto first = rankedType(inputs.front());
  if (!first)
    return emitOptionalError(loc, "'kiln.concat' expects ranked operands");
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (failed(checkAxis(loc, "kiln.concat", axis, first.getRank())))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (auto [i, input] : llvm::enumerate(inputs.drop_front())) {
    auto type = rankedType(input);
    if (!type)
      return emitOptionalError(loc, "'kiln.concat' expects ranked operands");
    if (type.getRank() != first.getRank())
      return emitOptionalError(loc, "'kiln.concat' input ", i + 1, " has rank ",
                               type.getRank(), " but input 0 has rank ",
                               first.getRank());
    if (type.getElementType() != first.getElementType())
      return emitOptionalError(loc, "'kiln.concat' input ", i + 1,
                               " has element type ", type.getElementType(),
                               " but input 0 has ", first.getElementType());
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      if (d == axis) {
        if (ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(size)) {
          shape[d] = ShapedType::kDynamic;
          continue;
        }
        auto sum = llvm::checkedAdd(shape[d], size);
        if (!sum)
          return emitOptionalError(loc, "'kiln.concat' size along axis ", axis,
                                   " overflows at input ", i + 1);
        shape[d] = *sum;
      } else if (!dimsCompatible(shape[d], size)) {
        return emitOptionalError(loc, "'kiln.concat' input ", i + 1,
                                 " has size ", size, " in dimension ", d,
                                 " but the inputs before it have ", shape[d]);
      } else if (ShapedType::isDynamic(shape[d])) {
        shape[d] = size; // A static size refines a dynamic one.
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
    return emitOptionalError(
        loc,
        "'kiln.slice' expects a ranked operand with starts, sizes and steps");
  ArrayRef<int64_t> starts = adaptor.getStarts(), sizes = adaptor.getSizes(),
                    steps = adaptor.getSteps();
  int64_t rank = type.getRank();
  if ((int64_t)starts.size() != rank || (int64_t)sizes.size() != rank ||
      (int64_t)steps.size() != rank)
    return emitOptionalError(
        loc,
        "'kiln.slice' starts, sizes and steps need one entry per dimension (",
        rank, ")");
  for (int64_t d = 0; d < rank; ++d) {
    if (steps[d] == 0)
      return emitOptionalError(loc, "'kiln.slice' step of dimension ", d,
                               " is zero");
    if (sizes[d] < 0)
      return emitOptionalError(loc, "'kiln.slice' size of dimension ", d,
                               " is negative (", sizes[d], ")");
    int64_t dim = type.getDimSize(d);
    bool dynamic = ShapedType::isDynamic(dim);
    if (sizes[d] == 0) {
      // An empty slice reads nothing; its start may be one past the end.
      if (starts[d] < 0 || (!dynamic && starts[d] > dim))
        return emitOptionalError(loc, "'kiln.slice' start ", starts[d],
                                 " of dimension ", d, " is outside [0, ",
                                 formatDim(dim), "]");
      continue;
    }
    // Computed in 128 bits: attributes come from untrusted models.
    __int128 first = starts[d];
    __int128 last = first + (__int128)(sizes[d] - 1) * steps[d];
    for (__int128 index : {first, last}) {
      if (index < 0 || (!dynamic && index >= dim))
        return emitOptionalError(loc, "'kiln.slice' dimension ", d,
                                 " reads index ",
                                 index < INT64_MIN || index > INT64_MAX
                                     ? std::string("(overflow)")
                                     : std::to_string((int64_t)index),
                                 ", outside [0, ", formatDim(dim), ")");
    }
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

/// Element conversions (cast, bitcast) keep the shape.
static LogicalResult verifyElementwiseConversion(Operation *op,
                                                 RankedTensorType inType,
                                                 RankedTensorType outType) {
  if (inType.getShape() != outType.getShape())
    return op->emitOpError("changes the shape from ")
           << formatShape(inType.getShape()) << " to "
           << formatShape(outType.getShape());
  return success();
}

LogicalResult CastOp::verify() {
  return verifyElementwiseConversion(
      *this, cast<RankedTensorType>(getInput().getType()), getType());
}

LogicalResult BitcastOp::verify() {
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto outType = cast<RankedTensorType>(getType());
  if (failed(verifyElementwiseConversion(*this, inType, outType)))
    return failure();
  unsigned inBits = inType.getElementType().getIntOrFloatBitWidth();
  unsigned outBits = outType.getElementType().getIntOrFloatBitWidth();
  if (inBits != outBits)
    return emitOpError("reinterprets ")
           << inBits << "-bit elements as " << outBits << "-bit ones";
  return success();
}

//===----------------------------------------------------------------------===//
// Indexed data movement (broadcast_to, gather/scatter, cumsum, top_k)
//===----------------------------------------------------------------------===//

LogicalResult BroadcastToOp::verify() {
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto outType = cast<RankedTensorType>(getType());
  if (inType.getElementType() != outType.getElementType())
    return emitOpError("changes the element type from ")
           << inType.getElementType() << " to " << outType.getElementType();
  int64_t offset = outType.getRank() - inType.getRank();
  if (offset < 0)
    return emitOpError("cannot broadcast rank ")
           << inType.getRank() << " to the smaller rank " << outType.getRank();
  for (int64_t d = 0; d < inType.getRank(); ++d) {
    int64_t in = inType.getDimSize(d), out = outType.getDimSize(d + offset);
    if (in != 1 && !dimsCompatible(in, out))
      return emitOpError("cannot broadcast ")
             << formatShape(inType.getShape()) << " to "
             << formatShape(outType.getShape());
  }
  return success();
}

/// The shared checks of gather_elements/scatter_elements: equal ranks, axis
/// in range, and every non-axis dimension of `indices` within `data`'s.
static LogicalResult checkElementsIndexing(std::optional<Location> loc,
                                           StringRef opName,
                                           RankedTensorType data,
                                           RankedTensorType indices,
                                           int64_t axis) {
  if (data.getRank() != indices.getRank())
    return emitOptionalError(loc, "'", opName, "' data rank ", data.getRank(),
                             " and indices rank ", indices.getRank(),
                             " differ");
  if (failed(checkAxis(loc, opName, axis, data.getRank())))
    return failure();
  for (int64_t d = 0; d < data.getRank(); ++d) {
    int64_t in = indices.getDimSize(d), dim = data.getDimSize(d);
    if (d == axis || ShapedType::isDynamic(in) || ShapedType::isDynamic(dim))
      continue;
    if (in > dim)
      return emitOptionalError(loc, "'", opName, "' indices dimension ", d,
                               " (", in, ") exceeds the data dimension (", dim,
                               ")");
  }
  if (data.getRank() > 0 && !ShapedType::isDynamic(data.getDimSize(axis)) &&
      data.getDimSize(axis) == 0 && indices.getNumElements() != 0)
    return emitOptionalError(loc, "'", opName, "' indexes the empty axis ",
                             axis);
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  auto data = rankedType(adaptor.getData());
  auto indices = rankedType(adaptor.getIndices());
  if (!data || !indices || !adaptor.getAxisAttr())
    return emitOptionalError(loc,
                             "'kiln.gather_elements' expects ranked operands");
  if (failed(checkElementsIndexing(loc, "kiln.gather_elements", data, indices,
                                   adaptor.getAxisAttr().getInt())))
    return failure();
  types.push_back(indices.clone(data.getElementType()));
  return success();
}

LogicalResult
ScatterElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  auto data = rankedType(adaptor.getData());
  auto indices = rankedType(adaptor.getIndices());
  if (!data || !indices || !adaptor.getAxisAttr())
    return emitOptionalError(loc,
                             "'kiln.scatter_elements' expects ranked operands");
  if (failed(checkElementsIndexing(loc, "kiln.scatter_elements", data, indices,
                                   adaptor.getAxisAttr().getInt())))
    return failure();
  types.push_back(data);
  return success();
}

/// Reductions other than replacement need arithmetic on the element type.
static LogicalResult checkScatterElementType(Operation *op, Type elementType,
                                             ScatterReduction reduction) {
  if (reduction == ScatterReduction::none || isa<FloatType>(elementType) ||
      (isa<IntegerType>(elementType) &&
       elementType.getIntOrFloatBitWidth() > 1))
    return success();
  return op->emitOpError("reduction '")
         << stringifyScatterReduction(reduction) << "' does not apply to "
         << elementType;
}

LogicalResult ScatterElementsOp::verify() {
  auto data = cast<RankedTensorType>(getData().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  auto updates = cast<RankedTensorType>(getUpdates().getType());
  if (updates.getElementType() != data.getElementType())
    return emitOpError("updates element type ")
           << updates.getElementType() << " differs from the data's "
           << data.getElementType();
  if (updates.getShape() != indices.getShape())
    return emitOpError("updates shape ")
           << formatShape(updates.getShape()) << " differs from the indices "
           << formatShape(indices.getShape());
  return checkScatterElementType(*this, data.getElementType(), getReduction());
}

/// The number of indexed data dimensions (the static last dimension of
/// `indices`) after checking it against `data` and `batchDims`.
static FailureOr<int64_t> checkIndexTuples(std::optional<Location> loc,
                                           StringRef opName,
                                           RankedTensorType data,
                                           RankedTensorType indices,
                                           int64_t batchDims) {
  if (indices.getRank() < 1)
    return emitOptionalError(loc, "'", opName,
                             "' indices must have rank at least 1");
  int64_t m = indices.getDimSize(indices.getRank() - 1);
  if (batchDims < 0 || batchDims >= indices.getRank() ||
      batchDims > data.getRank())
    return emitOptionalError(loc, "'", opName, "' batch_dims ", batchDims,
                             " is out of range for data rank ", data.getRank(),
                             " and indices rank ", indices.getRank());
  if (ShapedType::isDynamic(m) || m < 1 || m > data.getRank() - batchDims)
    return emitOptionalError(loc, "'", opName, "' index tuples of length ",
                             formatDim(m), " do not fit data rank ",
                             data.getRank(), " with ", batchDims,
                             " batch dimensions");
  for (int64_t d = 0; d < batchDims; ++d)
    if (!dimsCompatible(data.getDimSize(d), indices.getDimSize(d)))
      return emitOptionalError(loc, "'", opName, "' batch dimension ", d,
                               " differs: ", formatDim(data.getDimSize(d)),
                               " vs ", formatDim(indices.getDimSize(d)));
  for (int64_t d = batchDims; d < batchDims + m; ++d)
    if (data.getDimSize(d) == 0 && indices.getNumElements() != 0)
      return emitOptionalError(loc, "'", opName, "' indexes the empty ",
                               "dimension ", d);
  return m;
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto data = rankedType(adaptor.getData());
  auto indices = rankedType(adaptor.getIndices());
  if (!data || !indices || !adaptor.getBatchDimsAttr())
    return emitOptionalError(loc, "'kiln.gather_nd' expects ranked operands");
  int64_t batchDims = adaptor.getBatchDimsAttr().getInt();
  auto m = checkIndexTuples(loc, "kiln.gather_nd", data, indices, batchDims);
  if (failed(m))
    return failure();
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, data.getShape().drop_front(batchDims + *m));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto data = rankedType(adaptor.getData());
  auto indices = rankedType(adaptor.getIndices());
  if (!data || !indices)
    return emitOptionalError(loc, "'kiln.scatter_nd' expects ranked operands");
  if (failed(checkIndexTuples(loc, "kiln.scatter_nd", data, indices, 0)))
    return failure();
  types.push_back(data);
  return success();
}

LogicalResult ScatterNDOp::verify() {
  auto data = cast<RankedTensorType>(getData().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  auto updates = cast<RankedTensorType>(getUpdates().getType());
  if (updates.getElementType() != data.getElementType())
    return emitOpError("updates element type ")
           << updates.getElementType() << " differs from the data's "
           << data.getElementType();
  int64_t m = indices.getDimSize(indices.getRank() - 1);
  SmallVector<int64_t> expected(indices.getShape().drop_back());
  llvm::append_range(expected, data.getShape().drop_front(m));
  if (updates.getRank() != static_cast<int64_t>(expected.size()) ||
      !llvm::all_of(llvm::seq<int64_t>(0, updates.getRank()), [&](int64_t d) {
        return dimsCompatible(updates.getDimSize(d), expected[d]);
      }))
    return emitOpError("updates shape ")
           << formatShape(updates.getShape()) << " should be "
           << formatShape(expected);
  return checkScatterElementType(*this, data.getElementType(), getReduction());
}

/// Shared by cumsum and cumprod: the result has the input's type.
static LogicalResult inferCumulativeType(std::optional<Location> loc,
                                         StringRef name, Value input,
                                         IntegerAttr axis,
                                         SmallVectorImpl<Type> &types) {
  auto type = rankedType(input);
  if (!type || !axis)
    return emitOptionalError(loc, "'", name, "' expects a ranked operand");
  if (failed(checkAxis(loc, name, axis.getInt(), type.getRank())))
    return failure();
  types.push_back(type);
  return success();
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferCumulativeType(loc, "kiln.cumsum", adaptor.getInput(),
                             adaptor.getAxisAttr(), types);
}

LogicalResult CumProdOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferCumulativeType(loc, "kiln.cumprod", adaptor.getInput(),
                             adaptor.getAxisAttr(), types);
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || !adaptor.getAxisAttr() || !adaptor.getKAttr())
    return emitOptionalError(loc, "'kiln.top_k' expects a ranked operand");
  int64_t axis = adaptor.getAxisAttr().getInt();
  int64_t k = adaptor.getKAttr().getInt();
  if (failed(checkAxis(loc, "kiln.top_k", axis, type.getRank())))
    return failure();
  int64_t dim = type.getDimSize(axis);
  if (k < 0 || (!ShapedType::isDynamic(dim) && k > dim))
    return emitOptionalError(loc, "'kiln.top_k' k = ", k, " is outside [0, ",
                             formatDim(dim), "]");
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = k;
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
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

static LogicalResult inferReduce(std::optional<Location> loc, StringRef opName,
                                 Value input, DenseI64ArrayAttr axesAttr,
                                 bool keepDims, SmallVectorImpl<Type> &types) {
  auto type = rankedType(input);
  if (!type || !axesAttr)
    return emitOptionalError(loc, "'", opName, "' expects a ranked operand");
  ArrayRef<int64_t> axes = axesAttr.asArrayRef();
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (failed(checkAxis(loc, opName, axis, type.getRank())))
      return failure();
    if (i > 0 && axes[i - 1] >= axis)
      return emitOptionalError(loc, "'", opName,
                               "' axes must be sorted and unique, got ",
                               formatList(axes));
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
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferReduce(loc, OP::getOperationName(), adaptor.getInput(),        \
                       adaptor.getAxesAttr(), adaptor.getKeepDims(), types);   \
  }
KILN_REDUCE_INFERENCE(ReduceSumOp)
KILN_REDUCE_INFERENCE(ReduceMeanOp)
KILN_REDUCE_INFERENCE(ReduceMaxOp)
KILN_REDUCE_INFERENCE(ReduceMinOp)
KILN_REDUCE_INFERENCE(ReduceProdOp)
#undef KILN_REDUCE_INFERENCE

static LogicalResult inferArgReduce(std::optional<Location> loc,
                                    StringRef opName, Value input,
                                    IntegerAttr axisAttr, bool keepDims,
                                    SmallVectorImpl<Type> &types) {
  auto type = rankedType(input);
  if (!type || !axisAttr)
    return emitOptionalError(loc, "'", opName, "' expects a ranked operand");
  int64_t axis = axisAttr.getInt();
  if (failed(checkAxis(loc, opName, axis, type.getRank())))
    return failure();
  if (type.getDimSize(axis) == 0)
    return emitOptionalError(loc, "'", opName, "' axis ", axis,
                             " is empty: there is no element to select");
  SmallVector<int64_t> shape(type.getShape());
  if (keepDims)
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  types.push_back(
      RankedTensorType::get(shape, IntegerType::get(type.getContext(), 64)));
  return success();
}

#define KILN_ARG_REDUCE_INFERENCE(OP)                                          \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferArgReduce(loc, OP::getOperationName(), adaptor.getInput(),     \
                          adaptor.getAxisAttr(), adaptor.getKeepDims(),        \
                          types);                                              \
  }
KILN_ARG_REDUCE_INFERENCE(ArgMaxOp)
KILN_ARG_REDUCE_INFERENCE(ArgMinOp)
#undef KILN_ARG_REDUCE_INFERENCE

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || type.getRank() < 2)
    return emitOptionalError(loc,
                             "'kiln.batch_norm' expects an input of rank >= 2 "
                             "(N x C x ...), got rank ",
                             type ? type.getRank() : 0);
  int64_t channels = type.getDimSize(1);
  std::pair<StringRef, Value> params[] = {{"scale", adaptor.getScale()},
                                          {"bias", adaptor.getBias()},
                                          {"mean", adaptor.getMean()},
                                          {"variance", adaptor.getVariance()}};
  for (auto [name, param] : params) {
    auto paramType = rankedType(param);
    if (!paramType || paramType.getRank() != 1 ||
        !dimsCompatible(paramType.getDimSize(0), channels))
      return emitOptionalError(loc, "'kiln.batch_norm' ", name,
                               " must be 1-D with one entry per channel (",
                               formatDim(channels), "), got ",
                               param ? param.getType() : Type());
    if (paramType.getElementType() != type.getElementType())
      return emitOptionalError(loc, "'kiln.batch_norm' ", name,
                               " has element type ", paramType.getElementType(),
                               " but the input has ", type.getElementType());
  }
  types.push_back(type);
  return success();
}

LogicalResult BatchNormOp::verify() {
  float epsilon = getEpsilon().convertToFloat();
  if (!std::isfinite(epsilon) || epsilon < 0)
    return emitOpError("epsilon must be finite and non-negative, got ")
           << epsilon;
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// Checks the window attributes shared by the convolutions and the pools
/// over `rank` spatial dimensions.
static LogicalResult checkWindow(std::optional<Location> loc, StringRef opName,
                                 unsigned rank, ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> padding) {
  if (strides.size() != rank || dilations.size() != rank ||
      padding.size() != 2 * rank)
    return emitOptionalError(loc, "'", opName, "' expects ", rank, " strides, ",
                             rank, " dilations and ", 2 * rank, " pads, got ",
                             strides.size(), ", ", dilations.size(), " and ",
                             padding.size());
  if (llvm::any_of(strides, [](int64_t s) { return s <= 0; }))
    return emitOptionalError(loc, "'", opName,
                             "' strides must be positive, got ",
                             formatList(strides));
  if (llvm::any_of(dilations, [](int64_t d) { return d <= 0; }))
    return emitOptionalError(loc, "'", opName,
                             "' dilations must be positive, got ",
                             formatList(dilations));
  if (llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "'", opName,
                             "' padding must be non-negative, got ",
                             formatList(padding));
  return success();
}

/// Result type of conv2d / conv3d (`rank` spatial dimensions).
template <typename Adaptor>
static LogicalResult inferConv(std::optional<Location> loc, StringRef opName,
                               unsigned rank, Adaptor adaptor,
                               SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  if (!input || !filter || input.getRank() != rank + 2 ||
      filter.getRank() != rank + 2)
    return emitOptionalError(loc, "'", opName, "' expects a rank-", rank + 2,
                             " input and filter");
  if (!adaptor.getStridesAttr() || !adaptor.getDilationsAttr() ||
      !adaptor.getPaddingAttr() || !adaptor.getGroupsAttr())
    return emitOptionalError(loc, "'", opName, "' is missing attributes");
  ArrayRef<int64_t> strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    padding = adaptor.getPadding();
  if (failed(checkWindow(loc, opName, rank, strides, dilations, padding)))
    return failure();
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, "'", opName, "' input element type ",
                             input.getElementType(),
                             " differs from the "
                             "filter's, ",
                             filter.getElementType());
  int64_t groups = adaptor.getGroupsAttr().getInt();
  if (groups <= 0)
    return emitOptionalError(loc, "'", opName,
                             "' groups must be positive, got ", groups);
  int64_t channels = input.getDimSize(1), outChannels = filter.getDimSize(0),
          groupChannels = filter.getDimSize(1);
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOptionalError(loc, "'", opName, "' groups (", groups,
                             ") must divide the ", outChannels,
                             " output channels of the filter");
  if (!ShapedType::isDynamic(channels) && channels % groups != 0)
    return emitOptionalError(loc, "'", opName, "' groups (", groups,
                             ") must divide the ", channels, " input channels");
  if (!ShapedType::isDynamic(channels) &&
      !ShapedType::isDynamic(groupChannels) &&
      channels / groups != groupChannels)
    return emitOptionalError(loc, "'", opName, "' input has ", channels,
                             " channels in ", groups,
                             " group(s) but the filter expects ", groupChannels,
                             " channels per group");
  if (Value bias = adaptor.getBias()) {
    auto biasType = rankedType(bias);
    if (!biasType || biasType.getRank() != 1 ||
        !dimsCompatible(biasType.getDimSize(0), outChannels))
      return emitOptionalError(
          loc, "'", opName,
          "' bias must be 1-D with one entry per output channel (",
          formatDim(outChannels), "), got ", bias.getType());
    if (biasType.getElementType() != input.getElementType())
      return emitOptionalError(
          loc, "'", opName, "' bias element type ", biasType.getElementType(),
          " differs from the input's, ", input.getElementType());
  }
  SmallVector<int64_t> shape = {input.getDimSize(0), outChannels};
  for (unsigned d = 0; d < rank; ++d) {
    int64_t size = input.getDimSize(2 + d), kernel = filter.getDimSize(2 + d);
    if (!ShapedType::isDynamic(kernel) && kernel <= 0)
      return emitOptionalError(loc, "'", opName,
                               "' filter is empty in spatial dimension ", d);
    auto outSize = convOutputSize(size, kernel, strides[d], dilations[d],
                                  padding[d], padding[rank + d]);
    if (!outSize)
      return emitOptionalError(
          loc, "'", opName, "' kernel ", kernel, " with dilation ",
          dilations[d], " does not fit the input ", size, " padded by ",
          padding[d], " and ", padding[rank + d], " in spatial dimension ", d);
    shape.push_back(*outSize);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferConv(loc, getOperationName(), 2, adaptor, types);
}

LogicalResult Conv3DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferConv(loc, getOperationName(), 3, adaptor, types);
}

/// Result type of the 2-D and 3-D pools (`rank` spatial dimensions).
template <typename Adaptor>
static LogicalResult inferPool(std::optional<Location> loc, StringRef opName,
                               unsigned rank, Adaptor adaptor,
                               SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (!input || input.getRank() != rank + 2)
    return emitOptionalError(loc, "'", opName, "' expects a rank-", rank + 2,
                             rank == 2 ? " (NCHW) input" : " (NCDHW) input");
  if (!adaptor.getKernelAttr() || !adaptor.getStridesAttr() ||
      !adaptor.getDilationsAttr() || !adaptor.getPaddingAttr())
    return emitOptionalError(loc, "'", opName, "' is missing attributes");
  ArrayRef<int64_t> kernel = adaptor.getKernel(),
                    strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    padding = adaptor.getPadding();
  if (failed(checkWindow(loc, opName, rank, strides, dilations, padding)))
    return failure();
  if (kernel.size() != rank)
    return emitOptionalError(loc, "'", opName, "' expects ", rank,
                             " kernel sizes, got ", kernel.size());
  if (llvm::any_of(kernel, [](int64_t k) { return k <= 0; }))
    return emitOptionalError(loc, "'", opName,
                             "' kernel sizes must be positive, got ",
                             formatList(kernel));
  // A window inside the padding would have nothing to pool (onnxruntime
  // rejects such pads too).
  for (unsigned d = 0; d < rank; ++d)
    if (padding[d] >= kernel[d] || padding[rank + d] >= kernel[d])
      return emitOptionalError(
          loc, "'", opName, "' padding ", formatList(padding),
          " must be smaller than the kernel ", formatList(kernel));
  SmallVector<int64_t> shape = {input.getDimSize(0), input.getDimSize(1)};
  for (unsigned d = 0; d < rank; ++d) {
    auto size = poolOutputSize(input.getDimSize(2 + d), kernel[d], strides[d],
                               dilations[d], padding[d], padding[rank + d],
                               adaptor.getCeilMode());
    // Zero windows remain when ceil_mode drops the only one.
    if (!size || (!ShapedType::isDynamic(*size) && *size <= 0))
      return emitOptionalError(
          loc, "'", opName, "' window ", kernel[d], " with dilation ",
          dilations[d], " does not fit the input ",
          formatDim(input.getDimSize(2 + d)), " padded by ", padding[d],
          " and ", padding[rank + d], " in spatial dimension ", d);
    shape.push_back(*size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(loc, getOperationName(), 2, adaptor, types);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(loc, getOperationName(), 2, adaptor, types);
}

LogicalResult MaxPool3DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(loc, getOperationName(), 3, adaptor, types);
}

LogicalResult AvgPool3DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(loc, getOperationName(), 3, adaptor, types);
}

LogicalResult MaxPoolIndicesOp::inferReturnTypes(MLIRContext *context,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  auto input = rankedType(adaptor.getInput());
  if (!input || input.getRank() < 3 || input.getRank() > 5)
    return emitOptionalError(loc, "'", getOperationName(),
                             "' expects an input of rank 3 to 5 (N x C x 1 "
                             "to 3 spatial dimensions)");
  if (failed(inferPool(loc, getOperationName(), input.getRank() - 2, adaptor,
                       types)))
    return failure();
  types.back() =
      cast<RankedTensorType>(types.back()).clone(IntegerType::get(context, 64));
  return success();
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  StringRef opName = getOperationName();
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  if (!input || !filter || input.getRank() < 3 || input.getRank() > 5 ||
      filter.getRank() != input.getRank())
    return emitOptionalError(loc, "'", opName,
                             "' expects an input and filter of the same rank, "
                             "3 to 5");
  if (!adaptor.getStridesAttr() || !adaptor.getDilationsAttr() ||
      !adaptor.getPaddingAttr() || !adaptor.getOutputPaddingAttr() ||
      !adaptor.getGroupsAttr())
    return emitOptionalError(loc, "'", opName, "' is missing attributes");
  unsigned rank = input.getRank() - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    padding = adaptor.getPadding(),
                    outputPadding = adaptor.getOutputPadding();
  if (failed(checkWindow(loc, opName, rank, strides, dilations, padding)))
    return failure();
  if (outputPadding.size() != rank ||
      llvm::any_of(outputPadding, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "'", opName, "' expects ", rank,
                             " non-negative output paddings, got ",
                             formatList(outputPadding));
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(
        loc, "'", opName, "' input element type ", input.getElementType(),
        " differs from the filter's, ", filter.getElementType());
  int64_t groups = adaptor.getGroupsAttr().getInt();
  int64_t channels = input.getDimSize(1);
  if (groups <= 0)
    return emitOptionalError(loc, "'", opName,
                             "' groups must be positive, got ", groups);
  if (!dimsCompatible(channels, filter.getDimSize(0)) ||
      (!ShapedType::isDynamic(channels) && channels % groups != 0))
    return emitOptionalError(
        loc, "'", opName, "' input has ", formatDim(channels),
        " channels, the filter ", formatDim(filter.getDimSize(0)),
        "; both must be divisible by groups (", groups, ")");
  int64_t outChannels = ShapedType::isDynamic(filter.getDimSize(1))
                            ? ShapedType::kDynamic
                            : filter.getDimSize(1) * groups;
  if (Value bias = adaptor.getBias()) {
    auto biasType = rankedType(bias);
    if (!biasType || biasType.getRank() != 1 ||
        !dimsCompatible(biasType.getDimSize(0), outChannels) ||
        biasType.getElementType() != input.getElementType())
      return emitOptionalError(loc, "'", opName,
                               "' bias must be 1-D with one entry per output "
                               "channel (",
                               formatDim(outChannels),
                               ") of the input's element "
                               "type, got ",
                               bias.getType());
  }
  SmallVector<int64_t> shape = {input.getDimSize(0), outChannels};
  for (unsigned d = 0; d < rank; ++d) {
    int64_t size = input.getDimSize(2 + d), kernel = filter.getDimSize(2 + d);
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    // (size - 1) * stride + (kernel - 1) * dilation + 1 + output padding
    // - pads, without overflow.
    std::optional<int64_t> full;
    if (size > 0 && kernel > 0) {
      auto a = llvm::checkedMul<int64_t>(size - 1, strides[d]);
      auto b = llvm::checkedMul<int64_t>(kernel - 1, dilations[d]);
      if (a && b)
        full = llvm::checkedAdd<int64_t>(*a, *b);
      if (full)
        full = llvm::checkedAdd<int64_t>(*full, 1 + outputPadding[d]);
    }
    auto cut = llvm::checkedAdd<int64_t>(padding[d], padding[rank + d]);
    if (!full || !cut || *full - *cut <= 0)
      return emitOptionalError(
          loc, "'", opName, "' leaves no output in spatial dimension ", d,
          " (input ", size, ", kernel ", kernel, ", padding ", padding[d],
          " and ", padding[rank + d], ")");
    shape.push_back(*full - *cut);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto type = rankedType(adaptor.getInput());
  if (!type || type.getRank() < 3)
    return emitOptionalError(loc,
                             "'kiln.global_avg_pool' expects an input of rank "
                             ">= 3 (N x C x spatial...), got rank ",
                             type ? type.getRank() : 0);
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  shape.append(type.getRank() - 2, 1);
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "dialects/kiln/IR/KilnOps.cpp.inc"
