//===- QuantizationRules.cpp - ONNX quantization operators ----------------===//
//
// Part of Kiln. QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
// MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv as compositions
// of kiln ops; the dialect has no quantized types.
//
// Quantizing divides in the precision ONNX names (the scale's type or the
// `precision` attribute), rounds half to even (kiln.round), adds the zero
// point and clamps to the quantized type's range in a float type that holds
// that whole range exactly, then casts; float8 results come from a
// saturating kiln.cast instead. Dequantizing subtracts the zero point and
// multiplies in f32 (f64 for int32 data), where the difference of two
// quantized values is exact, and rounds once to the result type.
//
// The integer ops accumulate exactly: MatMulInteger in i32 with kiln.matmul;
// convolutions in f64, because kiln.conv2d/conv3d take floats only (see
// buildExactConv). QLinearMatMul and QLinearConv then requantize like the
// ONNX reference: the multiplier a_scale * b_scale / y_scale is computed in
// the scales' type and applied to the exact accumulator in f64.
//
// QuantizeLinear and DequantizeLinear support int8, uint8, int16, uint16
// (and int32 data for DequantizeLinear), plus int4, uint4 and float8 where
// the importer provides those element types. float4e2m1, int2, uint2 and
// float6 are unsupported configurations, as are sub-byte and float8
// operands of the integer matmul and convolution ops.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/ConvWindow.h"
#include "compiler/frontends/onnx/NodeContext.h"
#include "compiler/frontends/onnx/OnnxModel.h"

#include "dialects/kiln/IR/KilnOps.h"

#include "llvm/ADT/STLExtras.h"

#include <array>
#include <cmath>
#include <iterator>
#include <string>

using namespace mlir;
using namespace mlir::kiln::onnx;

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

namespace {

/// The clamp range of a quantized integer type.
struct QuantRange {
  double lo, hi;
};

/// How a QuantizeLinear/DequantizeLinear scale applies to the data.
struct QuantLayout {
  int64_t axis = 1;
  int64_t blockSize = 0;
};

/// Which matmul operand a zero point or scale belongs to.
enum class MatMulSide { Lhs, Rhs };

} // namespace

/// The saturation range of a quantized integer element type: int4, uint4
/// (when the importer provides them), int8, uint8, int16, uint16. Signed
/// (`si`) integers are not ONNX types.
static std::optional<QuantRange> getQuantRange(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType || intType.isSigned() ||
      (intType.getWidth() != 4 && intType.getWidth() != 8 &&
       intType.getWidth() != 16))
    return std::nullopt;
  double span = std::ldexp(1.0, intType.getWidth());
  if (intType.isUnsigned())
    return QuantRange{0, span - 1};
  return QuantRange{-span / 2, span / 2 - 1};
}

/// True for the 8-bit float types (float8e4m3fn, float8e5m2, ...).
static bool isFloat8(Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  return floatType && floatType.getWidth() == 8;
}

/// True for the types QuantizeLinear and DequantizeLinear support as the
/// quantized side: the integers of getQuantRange and the float8 types.
static bool isQuantizedType(Type type) {
  return getQuantRange(type) || isFloat8(type);
}

/// True for the sub-byte and 8-bit types ONNX quantizes to (float8, float4,
/// int4, uint4, int2, ...): valid models, where a rule that does not
/// implement them reports an unsupported configuration rather than an error.
static bool isLowPrecisionType(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth() > 1 && intType.getWidth() < 8;
  if (auto floatType = dyn_cast<FloatType>(type))
    return floatType.getWidth() <= 8;
  return false;
}

/// Reports `what` of `type` as unsupported when its element type is a
/// low-precision one that `supported` does not accept; returns true then.
static bool rejectLowPrecision(NodeContext &ctx, RankedTensorType type,
                               StringRef what,
                               bool (*supported)(Type) = nullptr) {
  Type element = type.getElementType();
  if (!isLowPrecisionType(element) || (supported && supported(element)))
    return false;
  ctx.emitUnsupported() << what << " of element type " << element;
  return true;
}

/// True for int8 and uint8, the types of the integer matmul and conv ops.
static bool isByteType(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  return intType && intType.getWidth() == 8 && !intType.isSignedInteger();
}

/// Reports an error unless input `i` is an int8 or uint8 tensor; returns its
/// type.
static RankedTensorType requireByteInput(NodeContext &ctx, unsigned i,
                                         StringRef what) {
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return nullptr;
  if (rejectLowPrecision(ctx, type, what))
    return nullptr;
  if (!isByteType(type.getElementType())) {
    ctx.emitError() << what << " must be an int8 or uint8 tensor, not " << type;
    return nullptr;
  }
  return type;
}

/// Reports an error unless input `i` is a float tensor; returns its type.
static RankedTensorType requireFloatInput(NodeContext &ctx, unsigned i,
                                          StringRef what) {
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return nullptr;
  if (rejectLowPrecision(ctx, type, what))
    return nullptr;
  if (!isa<FloatType>(type.getElementType())) {
    ctx.emitError() << what << " must be a float tensor, not " << type;
    return nullptr;
  }
  return type;
}

/// The name of an ONNX data type. The low-precision types that quantization
/// introduced (ONNX 1.14 and later) are named here: the onnx.proto Kiln
/// builds against may predate them, and getDataTypeName() then calls them
/// "invalid".
static std::string getQuantDataTypeName(int64_t dataType) {
  static const char *const names[] = {
      "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz",
      "uint4",        "int4",           "float4e2m1", "float8e8m0",
      "uint2",        "int2",           "float6e2m3", "float6e3m2"};
  constexpr int64_t first = 17;
  if (dataType >= first && dataType < first + int64_t(std::size(names)))
    return names[dataType - first];
  return getDataTypeName(static_cast<int32_t>(dataType)).str();
}

/// The element type an ONNX data type attribute names. Reports an error for
/// a code that is no data type, and an unsupported configuration when Kiln
/// has no element type for it or it is a low-precision type `supported` does
/// not accept; returns null then.
static Type getAttrElementType(NodeContext &ctx, StringRef attr,
                               int64_t dataType,
                               bool (*supported)(Type) = nullptr) {
  // 0 is UNDEFINED; codes past the known ones may be types of a newer ONNX.
  if (dataType < 1 || dataType > INT32_MAX) {
    ctx.emitError() << "attribute '" << attr
                    << "' is not a data type: " << dataType;
    return nullptr;
  }
  Type type = getElementType(ctx.getContext(), static_cast<int32_t>(dataType));
  if (!type || (isLowPrecisionType(type) && !(supported && supported(type)))) {
    ctx.emitUnsupported() << attr << " " << getQuantDataTypeName(dataType);
    return nullptr;
  }
  return type;
}

/// A float type that represents every value of an 8- or 16-bit quantized
/// type exactly: the result of a computation in `type` widened to f32.
static Type widenToF32(Type type) {
  Builder b(type.getContext());
  if (!isa<FloatType>(type) || cast<FloatType>(type).getWidth() < 32)
    return b.getF32Type();
  return type;
}

/// `value` converted to `elementType` (ONNX Cast semantics).
static Value castTo(NodeContext &ctx, Value value, Type elementType) {
  if (!value)
    return {};
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  return ctx.createWithType<kiln::CastOp>(type.clone(elementType), value);
}

/// A kiln.clip of `value` to `range`.
static Value clipTo(NodeContext &ctx, Value value, QuantRange range) {
  Builder &b = ctx.getBuilder();
  return ctx.create<kiln::ClipOp>(value, b.getF64FloatAttr(range.lo),
                                  b.getF64FloatAttr(range.hi));
}

/// round_half_to_even(value) + zeroPoint (omitted when null), clamped to the
/// range of `resultType` and converted to it. `value` is a float in which
/// the range is exact (see widenToF32).
static Value saturateRound(NodeContext &ctx, Value value, Value zeroPoint,
                           Type resultType) {
  std::optional<QuantRange> range = getQuantRange(resultType);
  if (!value || !range)
    return {};
  Type floatType = cast<RankedTensorType>(value.getType()).getElementType();
  Value result = ctx.create<kiln::RoundOp>(value);
  if (zeroPoint)
    result = ctx.create<kiln::AddOp>(result, castTo(ctx, zeroPoint, floatType));
  // Clamping before the cast keeps it exact: out-of-range floats do not
  // convert to integers.
  return castTo(ctx, clipTo(ctx, result, *range), resultType);
}

//===----------------------------------------------------------------------===//
// Scale and zero point layouts
//===----------------------------------------------------------------------===//

/// True when `type` holds one value: a scalar or a 1-element vector.
static bool isPerTensor(RankedTensorType type) {
  return type.getRank() == 0 ||
         (type.getRank() == 1 && type.getDimSize(0) == 1);
}

/// Checks that a zero point has its scale's shape (both may be per-tensor in
/// either form).
static bool checkSameShape(NodeContext &ctx, RankedTensorType scale,
                           RankedTensorType zeroPoint, StringRef scaleName,
                           StringRef zeroPointName) {
  if (!zeroPoint || scale.getShape() == zeroPoint.getShape() ||
      (isPerTensor(scale) && isPerTensor(zeroPoint)))
    return true;
  ctx.emitError() << zeroPointName << " " << zeroPoint
                  << " must have the shape of " << scaleName << " " << scale;
  return false;
}

/// Reads `axis` and `block_size`.
static std::optional<QuantLayout> getQuantLayout(NodeContext &ctx) {
  QuantLayout layout;
  layout.axis = ctx.getInt("axis", 1);
  layout.blockSize = ctx.getInt("block_size", 0);
  if (ctx.hasFailed())
    return std::nullopt;
  if (layout.blockSize < 0) {
    ctx.emitError() << "block_size must not be negative, got "
                    << layout.blockSize;
    return std::nullopt;
  }
  return layout;
}

/// `param` (a scale or zero point) reshaped or expanded so that it
/// broadcasts against data of type `data`: per-tensor as a scalar, per-axis
/// (1-D, the data's size along `axis`) as a vector along the axis, and
/// blocked (the data's shape with ceil(D / block_size) along `axis`) as
/// each value repeated block_size times along the axis.
static Value layOutQuantParam(NodeContext &ctx, Value param,
                              RankedTensorType data, const QuantLayout &layout,
                              StringRef what) {
  if (!param)
    return {};
  auto type = cast<RankedTensorType>(param.getType());
  if (isPerTensor(type))
    return ctx.createReshape(param, {});
  auto axis = ctx.normalizeAxis(layout.axis, data.getRank());
  if (!axis)
    return {};
  int64_t dim = data.getDimSize(*axis);

  if (layout.blockSize == 0) {
    if (type.getRank() != 1 ||
        (!ShapedType::isDynamic(dim) && type.getDimSize(0) != dim)) {
      ctx.emitError() << what << " " << type
                      << " must be a scalar or a 1-D tensor of the input's "
                         "size along axis "
                      << *axis << " (" << data << ")";
      return {};
    }
    SmallVector<int64_t> shape(data.getRank(), 1);
    shape[*axis] = type.getDimSize(0);
    return ctx.createReshape(param, shape);
  }

  // Blocked: the shapes agree except along the axis, which has one entry per
  // block of block_size data elements (the last one may be partial).
  if (ShapedType::isDynamic(dim) || !type.hasStaticShape()) {
    ctx.emitUnsupported() << "blocked quantization with a dynamic shape ("
                          << data << ", " << what << " " << type << ")";
    return {};
  }
  int64_t blocks =
      dim / layout.blockSize + (dim % layout.blockSize != 0 ? 1 : 0);
  bool matches = type.getRank() == data.getRank();
  for (int64_t d = 0; matches && d < data.getRank(); ++d)
    matches = d == *axis ? type.getDimSize(d) == blocks
                         : type.getDimSize(d) == data.getDimSize(d);
  if (!matches) {
    ctx.emitError() << what << " " << type << " does not match the input "
                    << data << " blocked by " << layout.blockSize
                    << " along axis " << *axis << " (expected " << blocks
                    << " blocks)";
    return {};
  }
  if (dim > kMaxHostElements) {
    ctx.emitUnsupported() << "blocked quantization along an axis of " << dim
                          << " elements";
    return {};
  }
  HostTensor indices(IntegerType::get(ctx.getContext(), 64), {dim});
  for (int64_t i = 0; i < dim; ++i)
    indices.setFromInt(i, i / layout.blockSize);
  return ctx.create<kiln::GatherOp>(param, ctx.createConstant(indices), *axis);
}

//===----------------------------------------------------------------------===//
// QuantizeLinear and DequantizeLinear
//===----------------------------------------------------------------------===//

/// The quantized type of a QuantizeLinear: the zero point's type, else
/// output_dtype, else uint8.
static Type getQuantizedType(NodeContext &ctx, RankedTensorType zeroPoint) {
  Type type;
  if (ctx.hasAttr("output_dtype")) {
    int64_t dataType = ctx.getInt("output_dtype", 0);
    if (ctx.hasFailed() ||
        !(type = getAttrElementType(ctx, "output_dtype", dataType,
                                    isQuantizedType)))
      return nullptr;
    if (zeroPoint && zeroPoint.getElementType() != type) {
      ctx.emitError() << "output_dtype " << type
                      << " differs from the zero point's type "
                      << zeroPoint.getElementType();
      return nullptr;
    }
  } else if (zeroPoint) {
    if (rejectLowPrecision(ctx, zeroPoint, "y_zero_point", isQuantizedType))
      return nullptr;
    type = zeroPoint.getElementType();
  } else {
    type = IntegerType::get(ctx.getContext(), 8, IntegerType::Unsigned);
  }
  if (!isQuantizedType(type)) {
    ctx.emitError() << "the quantized type must be int8, uint8, int16, "
                       "uint16, int4, uint4 or a float8 type, not "
                    << type;
    return nullptr;
  }
  return type;
}

/// The type QuantizeLinear divides in: `precision` when given, else the
/// scale's type; an int32 scale divides in f64 (which holds every int32).
static Type getDivisionType(NodeContext &ctx, Type scaleType) {
  Type type = scaleType;
  if (ctx.hasAttr("precision")) {
    int64_t dataType = ctx.getInt("precision", 0);
    if (ctx.hasFailed() ||
        !(type = getAttrElementType(ctx, "precision", dataType)))
      return nullptr;
    if (!isa<FloatType>(type)) {
      ctx.emitError() << "precision must be a float type, not " << type;
      return nullptr;
    }
  }
  if (!isa<FloatType>(type))
    return Float64Type::get(ctx.getContext());
  return type;
}

static void importQuantizeLinear(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType xType = ctx.getInputType(0);
  RankedTensorType scaleType = ctx.getInputType(1);
  RankedTensorType zpType = ctx.hasInput(2) ? ctx.getInputType(2) : nullptr;
  if (!xType || !scaleType || (ctx.hasInput(2) && !zpType))
    return;
  for (auto [type, what] : {std::pair(xType, "x"), {scaleType, "y_scale"}}) {
    Type element = type.getElementType();
    if (rejectLowPrecision(ctx, type, what))
      return;
    if (!isa<FloatType>(element) && !element.isSignlessInteger(32)) {
      ctx.emitError() << what << " must be a float or int32 tensor, not "
                      << type;
      return;
    }
  }
  // `saturate` only changes float8 results.
  int64_t saturate = ctx.getInt("saturate", 1);
  auto layout = getQuantLayout(ctx);
  Type resultType = getQuantizedType(ctx, zpType);
  Type divisionType =
      resultType ? getDivisionType(ctx, scaleType.getElementType()) : nullptr;
  if (!layout || !divisionType)
    return;
  if (saturate != 0 && saturate != 1) {
    ctx.emitError() << "saturate must be 0 or 1, got " << saturate;
    return;
  }
  // kiln.cast converts to float8 as ONNX Cast does by default: saturating.
  if (isFloat8(resultType) && saturate == 0) {
    ctx.emitUnsupported() << "saturate = 0 with the float8 type " << resultType;
    return;
  }
  if (!checkSameShape(ctx, scaleType, zpType, "y_scale", "y_zero_point"))
    return;

  Value scale =
      layOutQuantParam(ctx, ctx.getInput(1), xType, *layout, "y_scale");
  Value zeroPoint = zpType ? layOutQuantParam(ctx, ctx.getInput(2), xType,
                                              *layout, "y_zero_point")
                           : Value();
  if (!scale || (zpType && !zeroPoint))
    return;
  Value quotient =
      ctx.create<kiln::DivOp>(castTo(ctx, ctx.getInput(0), divisionType),
                              castTo(ctx, scale, divisionType));
  // A narrower quotient widens exactly, and rounding it there gives what
  // rounding in its own type would.
  quotient = castTo(ctx, quotient, widenToF32(divisionType));
  // float8 rounds (to nearest even) and saturates in the cast; like the
  // ONNX reference it ignores the zero point, which is 0 for float8.
  if (isFloat8(resultType))
    return ctx.setOutput(0, castTo(ctx, quotient, resultType));
  ctx.setOutput(0, saturateRound(ctx, quotient, zeroPoint, resultType));
}

static void importDequantizeLinear(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  RankedTensorType xType = ctx.getInputType(0);
  RankedTensorType scaleType = requireFloatInput(ctx, 1, "x_scale");
  RankedTensorType zpType = ctx.hasInput(2) ? ctx.getInputType(2) : nullptr;
  if (!xType || !scaleType || (ctx.hasInput(2) && !zpType))
    return;
  Type xElement = xType.getElementType();
  if (rejectLowPrecision(ctx, xType, "x", isQuantizedType))
    return;
  if (!isQuantizedType(xElement) && !xElement.isSignlessInteger(32)) {
    ctx.emitError() << "x must be an int8, uint8, int16, uint16, int32, int4, "
                       "uint4 or float8 tensor, not "
                    << xType;
    return;
  }
  if (zpType && zpType.getElementType() != xElement) {
    ctx.emitError() << "x_zero_point " << zpType << " must have x's type "
                    << xElement;
    return;
  }
  auto layout = getQuantLayout(ctx);
  if (!layout ||
      !checkSameShape(ctx, scaleType, zpType, "x_scale", "x_zero_point"))
    return;
  Type resultType = scaleType.getElementType();
  if (ctx.hasAttr("output_dtype")) {
    int64_t dataType = ctx.getInt("output_dtype", 0);
    if (ctx.hasFailed() ||
        !(resultType = getAttrElementType(ctx, "output_dtype", dataType)))
      return;
    if (!isa<FloatType>(resultType)) {
      ctx.emitError() << "output_dtype must be a float type, not "
                      << resultType;
      return;
    }
  }

  // x - x_zero_point is exact in f32 for 4-, 8- and 16-bit and float8 data
  // and in f64 for int32 data, and the product then rounds once to f32 (or
  // f64). For an f16 or bf16 result that product is exact when the data is
  // 8 bits wide or narrower (at most 9 + 11 significant bits), so the one
  // rounding to the result is correct; 16-bit data rounds twice, as in the
  // ONNX reference, which also multiplies in f32.
  Type computeType = widenToF32(resultType);
  if (xElement.isSignlessInteger(32) || isa<Float64Type>(resultType) ||
      isa<Float64Type>(scaleType.getElementType()))
    computeType = Float64Type::get(ctx.getContext());
  Value scale =
      layOutQuantParam(ctx, ctx.getInput(1), xType, *layout, "x_scale");
  Value zeroPoint = zpType ? layOutQuantParam(ctx, ctx.getInput(2), xType,
                                              *layout, "x_zero_point")
                           : Value();
  if (!scale || (zpType && !zeroPoint))
    return;
  Value shifted = castTo(ctx, ctx.getInput(0), computeType);
  // float8 converts exactly to f32; its zero point is 0 (the ONNX reference
  // ignores it).
  if (zeroPoint && !isFloat8(xElement))
    shifted =
        ctx.create<kiln::SubOp>(shifted, castTo(ctx, zeroPoint, computeType));
  Value y = ctx.create<kiln::MulOp>(shifted, castTo(ctx, scale, computeType));
  ctx.setOutput(0, castTo(ctx, y, resultType));
}

/// DynamicQuantizeLinear: uint8 quantization with a range that covers both
/// the data and 0, as the ONNX function body computes it in f32.
static void importDynamicQuantizeLinear(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType xType = ctx.getInputType(0);
  if (!xType)
    return;
  if (!xType.getElementType().isF32()) {
    ctx.emitError() << "x must be a float32 tensor, not " << xType;
    return;
  }
  Value x = ctx.getInput(0);
  Type f32 = xType.getElementType();
  SmallVector<int64_t> all =
      llvm::to_vector(llvm::seq<int64_t>(0, xType.getRank()));
  Value min = x, max = x;
  if (!all.empty()) {
    min = ctx.create<kiln::ReduceMinOp>(x, all, /*keep_dims=*/false);
    max = ctx.create<kiln::ReduceMaxOp>(x, all, /*keep_dims=*/false);
  }
  Value zero = ctx.createScalar(0, f32);
  min = ctx.create<kiln::MinOp>(min, zero);
  max = ctx.create<kiln::MaxOp>(max, zero);
  // scale = (max - min) / 255, or 1 / 255 when the range is empty (x == 0).
  Value empty =
      ctx.create<kiln::CompareOp>(kiln::ComparePredicate::eq, max, min);
  Value span = ctx.create<kiln::SelectOp>(empty, ctx.createScalar(1, f32),
                                          ctx.create<kiln::SubOp>(max, min));
  Value scale = ctx.create<kiln::DivOp>(span, ctx.createScalar(255, f32));
  // zero_point = round(clamp(0 - min / scale, 0, 255)).
  Value zeroPoint = ctx.create<kiln::RoundOp>(clipTo(
      ctx, ctx.create<kiln::SubOp>(zero, ctx.create<kiln::DivOp>(min, scale)),
      {0, 255}));
  Type u8 = IntegerType::get(ctx.getContext(), 8, IntegerType::Unsigned);
  ctx.setOutput(
      0, saturateRound(ctx, ctx.create<kiln::DivOp>(x, scale), zeroPoint, u8));
  ctx.setOutput(1, scale);
  ctx.setOutput(2, castTo(ctx, zeroPoint, u8));
}

//===----------------------------------------------------------------------===//
// MatMulInteger and QLinearMatMul
//===----------------------------------------------------------------------===//

/// A matmul operand's zero point or scale, laid out to broadcast against the
/// operand: per-tensor as a scalar; per-row of the lhs ([M], or the lhs's
/// shape with a unit K) as [M, 1]; per-column of the rhs ([N], or the rhs's
/// shape with a unit K) as is.
static Value layOutMatMulParam(NodeContext &ctx, unsigned i,
                               RankedTensorType operand, MatMulSide side,
                               StringRef what) {
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return {};
  if (isPerTensor(type))
    return ctx.createReshape(ctx.getInput(i), {});
  int64_t rank = operand.getRank();
  bool lhs = side == MatMulSide::Lhs;
  if (rank >= 2) {
    // The dimension the parameter follows (rows of the lhs, columns of the
    // rhs) and K, the other of the last two.
    int64_t along = lhs ? rank - 2 : rank - 1, k = lhs ? rank - 1 : rank - 2;
    int64_t size = operand.getDimSize(along);
    auto fits = [&](int64_t s) {
      return ShapedType::isDynamic(size) || s == size;
    };
    if (type.getRank() == 1 && fits(type.getDimSize(0)))
      return lhs ? ctx.createReshape(ctx.getInput(i), {type.getDimSize(0), 1})
                 : ctx.getInput(i);
    if (type.getRank() == rank && type.getDimSize(k) == 1 &&
        fits(type.getDimSize(along)))
      return ctx.getInput(i);
  }
  ctx.emitError() << what << " " << type << " must be a scalar or "
                  << (lhs ? "per row" : "per column") << " of " << operand;
  return {};
}

/// `operand` - `zeroPoint` in i32 (the zero point may be null).
static Value subtractZeroPointI32(NodeContext &ctx, Value operand,
                                  Value zeroPoint) {
  Type i32 = IntegerType::get(ctx.getContext(), 32);
  Value result = castTo(ctx, operand, i32);
  if (!zeroPoint)
    return result;
  return ctx.create<kiln::SubOp>(result, castTo(ctx, zeroPoint, i32));
}

/// Checks that input `zp` (when present) has the element type of input
/// `data`.
static bool checkZeroPointType(NodeContext &ctx, unsigned zp,
                               RankedTensorType data, StringRef what) {
  if (!ctx.hasInput(zp))
    return true;
  RankedTensorType type = ctx.getInputType(zp);
  if (!type)
    return false;
  if (type.getElementType() != data.getElementType()) {
    ctx.emitError() << what << " " << type << " must have the element type "
                    << data.getElementType();
    return false;
  }
  return true;
}

/// (a - a_zero_point) x (b - b_zero_point) accumulated in i32, with the
/// operands and zero points at inputs `a`, `aZp`, `b`, `bZp`.
static Value buildIntegerMatMul(NodeContext &ctx, unsigned a, unsigned aZp,
                                unsigned b, unsigned bZp) {
  RankedTensorType aType = requireByteInput(ctx, a, "a");
  RankedTensorType bType = requireByteInput(ctx, b, "b");
  if (!aType || !bType ||
      !checkZeroPointType(ctx, aZp, aType, "a_zero_point") ||
      !checkZeroPointType(ctx, bZp, bType, "b_zero_point"))
    return {};
  Value aZero, bZero;
  if (ctx.hasInput(aZp) &&
      !(aZero = layOutMatMulParam(ctx, aZp, aType, MatMulSide::Lhs,
                                  "a_zero_point")))
    return {};
  if (ctx.hasInput(bZp) &&
      !(bZero = layOutMatMulParam(ctx, bZp, bType, MatMulSide::Rhs,
                                  "b_zero_point")))
    return {};
  return ctx.create<kiln::MatMulOp>(
      subtractZeroPointI32(ctx, ctx.getInput(a), aZero),
      subtractZeroPointI32(ctx, ctx.getInput(b), bZero));
}

static void importMatMulInteger(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 4))
    return;
  ctx.setOutput(0, buildIntegerMatMul(ctx, 0, 2, 1, 3));
}

/// Requantizes an exact accumulator: round_half_to_even(acc * multiplier +
/// y_zero_point) clamped to `resultType`, computed in f64 like the ONNX
/// reference (which multiplies its int32 accumulator by a float scale).
static Value requantize(NodeContext &ctx, Value accumulator, Value multiplier,
                        Value zeroPoint, Type resultType) {
  Type f64 = Float64Type::get(ctx.getContext());
  Value scaled = ctx.create<kiln::MulOp>(castTo(ctx, accumulator, f64),
                                         castTo(ctx, multiplier, f64));
  return saturateRound(ctx, scaled, zeroPoint, resultType);
}

/// Checks that the scales of a QLinear op (inputs 1, 4 and 6, named
/// `names`) are float tensors of one type.
static bool checkScaleTypes(NodeContext &ctx, std::array<StringRef, 3> names) {
  Type type;
  for (auto [i, name] :
       llvm::zip_equal(std::array<unsigned, 3>{1, 4, 6}, names)) {
    RankedTensorType scale = requireFloatInput(ctx, i, name);
    if (!scale)
      return false;
    if (type && scale.getElementType() != type) {
      ctx.emitError() << "the scales must have one element type, got " << type
                      << " and " << scale.getElementType() << " (" << name
                      << ")";
      return false;
    }
    type = scale.getElementType();
  }
  return true;
}

/// The output zero point at input `i`: a per-tensor int8 or uint8 value.
/// Returns it as a scalar and its type in `resultType`.
static Value getOutputZeroPoint(NodeContext &ctx, unsigned i,
                                Type &resultType) {
  RankedTensorType type = requireByteInput(ctx, i, "y_zero_point");
  if (!type)
    return {};
  if (!isPerTensor(type)) {
    ctx.emitUnsupported() << "per-axis output quantization (y_zero_point "
                          << type << ")";
    return {};
  }
  resultType = type.getElementType();
  return ctx.createReshape(ctx.getInput(i), {});
}

/// The per-tensor output scale at input `i` as a scalar.
static Value getOutputScale(NodeContext &ctx, unsigned i) {
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return {};
  if (!isPerTensor(type)) {
    ctx.emitUnsupported() << "per-axis output quantization (y_scale " << type
                          << ")";
    return {};
  }
  return ctx.createReshape(ctx.getInput(i), {});
}

static void importQLinearMatMul(NodeContext &ctx) {
  // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point
  if (!ctx.checkNumInputs(8, 8) ||
      !checkScaleTypes(ctx, {"a_scale", "b_scale", "y_scale"}))
    return;
  RankedTensorType aType = requireByteInput(ctx, 0, "a");
  RankedTensorType bType = requireByteInput(ctx, 3, "b");
  if (!aType || !bType)
    return;
  if (!checkSameShape(ctx, ctx.getInputType(1), ctx.getInputType(2), "a_scale",
                      "a_zero_point") ||
      !checkSameShape(ctx, ctx.getInputType(4), ctx.getInputType(5), "b_scale",
                      "b_zero_point"))
    return;
  Type resultType;
  Value yZero = getOutputZeroPoint(ctx, 7, resultType);
  Value yScale = getOutputScale(ctx, 6);
  Value aScale = layOutMatMulParam(ctx, 1, aType, MatMulSide::Lhs, "a_scale");
  Value bScale = layOutMatMulParam(ctx, 4, bType, MatMulSide::Rhs, "b_scale");
  Value accumulator = buildIntegerMatMul(ctx, 0, 2, 3, 5);
  if (!yZero || !yScale || !aScale || !bScale || !accumulator)
    return;
  Value multiplier =
      ctx.create<kiln::DivOp>(ctx.create<kiln::MulOp>(aScale, bScale), yScale);
  ctx.setOutput(0, requantize(ctx, accumulator, multiplier, yZero, resultType));
}

//===----------------------------------------------------------------------===//
// ConvInteger and QLinearConv
//===----------------------------------------------------------------------===//

/// Checks the input (N x C x 1 to 3 spatial dims) and the filter and reads
/// the window attributes, as for Conv.
static std::optional<ConvWindow> getIntegerConvWindow(NodeContext &ctx,
                                                      RankedTensorType input,
                                                      RankedTensorType filter) {
  if (!requireSpatialInput(ctx))
    return std::nullopt;
  return getConvWindow(ctx, input, filter);
}

/// A convolution of integer-valued f64 tensors, which is exact: every
/// product of two differences of 8-bit values has magnitude <= 255 * 256 <
/// 2^16, and every partial sum (with an int32 bias) that stays within the
/// int32 range ONNX accumulates in is far below 2^53, so f64 holds each one
/// exactly and the order of the additions cannot change the result. kiln's
/// convolutions take floats only; this gives the integer result from them.
static Value buildExactConv(NodeContext &ctx, Value x, Value w, Value bias,
                            const ConvWindow &window) {
  if (!x || !w)
    return {};
  return createConv(ctx, x, w, bias, window);
}

/// A convolution's per-tensor input zero point (input `i`) as a scalar.
static Value getInputZeroPoint(NodeContext &ctx, unsigned i,
                               RankedTensorType input, StringRef what) {
  if (!checkZeroPointType(ctx, i, input, what))
    return {};
  RankedTensorType type = ctx.getInputType(i);
  if (!isPerTensor(type)) {
    ctx.emitError() << what << " " << type << " must be a scalar";
    return {};
  }
  return ctx.createReshape(ctx.getInput(i), {});
}

/// A filter's scale or zero point (input `i`): a scalar, or one value per
/// output channel ([M]) reshaped to run along dimension `channelDim` of a
/// tensor of rank `rank`: 0 of the filter (M x C/group x k...), or 1 of the
/// result (N x M x spatial...).
static Value getPerChannelParam(NodeContext &ctx, unsigned i,
                                RankedTensorType filter, int64_t rank,
                                int64_t channelDim, StringRef what) {
  RankedTensorType type = ctx.getInputType(i);
  if (!type)
    return {};
  if (isPerTensor(type))
    return ctx.createReshape(ctx.getInput(i), {});
  int64_t channels = filter.getDimSize(0);
  if (type.getRank() != 1 ||
      (!ShapedType::isDynamic(channels) && type.getDimSize(0) != channels)) {
    ctx.emitError() << what << " " << type
                    << " must be a scalar or have one value per output "
                       "channel of the filter "
                    << filter;
    return {};
  }
  SmallVector<int64_t> shape(rank, 1);
  shape[channelDim] = type.getDimSize(0);
  return ctx.createReshape(ctx.getInput(i), shape);
}

/// `value` - `zeroPoint` in f64 (the zero point may be null).
static Value subtractZeroPointF64(NodeContext &ctx, Value value,
                                  Value zeroPoint) {
  Type f64 = Float64Type::get(ctx.getContext());
  Value result = castTo(ctx, value, f64);
  if (!zeroPoint)
    return result;
  return ctx.create<kiln::SubOp>(result, castTo(ctx, zeroPoint, f64));
}

/// The exact convolution of (x - x_zero_point) with (w - w_zero_point) plus
/// an optional int32 bias, in f64, with the inputs at the given indices
/// (`xZp`, `wZp`, `bias` may be absent).
static Value buildIntegerConv(NodeContext &ctx, unsigned x, unsigned xZp,
                              unsigned w, unsigned wZp,
                              std::optional<unsigned> bias) {
  RankedTensorType xType = requireByteInput(ctx, x, "x");
  RankedTensorType wType = requireByteInput(ctx, w, "w");
  if (!xType || !wType)
    return {};
  auto window = getIntegerConvWindow(ctx, xType, wType);
  if (!window)
    return {};
  Value xZero, wZero, biasValue;
  if (ctx.hasInput(xZp) &&
      !(xZero = getInputZeroPoint(ctx, xZp, xType, "x_zero_point")))
    return {};
  if (ctx.hasInput(wZp) &&
      (!checkZeroPointType(ctx, wZp, wType, "w_zero_point") ||
       !(wZero = getPerChannelParam(ctx, wZp, wType, wType.getRank(),
                                    /*channelDim=*/0, "w_zero_point"))))
    return {};
  if (bias && ctx.hasInput(*bias)) {
    RankedTensorType biasType = ctx.getInputType(*bias);
    if (!biasType)
      return {};
    if (!biasType.getElementType().isSignlessInteger(32) ||
        biasType.getRank() != 1) {
      ctx.emitError() << "B must be a 1-D int32 tensor, not " << biasType;
      return {};
    }
    biasValue =
        castTo(ctx, ctx.getInput(*bias), Float64Type::get(ctx.getContext()));
  }
  return buildExactConv(ctx, subtractZeroPointF64(ctx, ctx.getInput(x), xZero),
                        subtractZeroPointF64(ctx, ctx.getInput(w), wZero),
                        biasValue, *window);
}

static void importConvInteger(NodeContext &ctx) {
  // x, w, x_zero_point, w_zero_point
  if (!ctx.checkNumInputs(2, 4))
    return;
  Value result = buildIntegerConv(ctx, 0, 2, 1, 3, std::nullopt);
  // The f64 result holds an integer; the conversion is exact.
  ctx.setOutput(0, castTo(ctx, result, IntegerType::get(ctx.getContext(), 32)));
}

static void importQLinearConv(NodeContext &ctx) {
  // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
  // y_zero_point, B
  if (!ctx.checkNumInputs(8, 9) ||
      !checkScaleTypes(ctx, {"x_scale", "w_scale", "y_scale"}))
    return;
  RankedTensorType xType = requireByteInput(ctx, 0, "x");
  RankedTensorType wType = requireByteInput(ctx, 3, "w");
  if (!xType || !wType)
    return;
  RankedTensorType xScaleType = ctx.getInputType(1);
  if (!isPerTensor(xScaleType)) {
    ctx.emitError() << "x_scale " << xScaleType << " must be a scalar";
    return;
  }
  Type resultType;
  Value yZero = getOutputZeroPoint(ctx, 7, resultType);
  Value yScale = getOutputScale(ctx, 6);
  // The accumulator is N x M x spatial...: a per-channel scale runs along
  // dimension 1.
  Value wScale = yZero && yScale
                     ? getPerChannelParam(ctx, 4, wType, xType.getRank(),
                                          /*channelDim=*/1, "w_scale")
                     : Value();
  Value accumulator = wScale ? buildIntegerConv(ctx, 0, 2, 3, 5, 8) : Value();
  if (!accumulator)
    return;
  Value multiplier = ctx.create<kiln::DivOp>(
      ctx.create<kiln::MulOp>(ctx.createReshape(ctx.getInput(1), {}), wScale),
      yScale);
  ctx.setOutput(0, requantize(ctx, accumulator, multiplier, yZero, resultType));
}

void mlir::kiln::onnx::addQuantizationRules(ImportRuleMap &rules) {
  rules["QuantizeLinear"] = importQuantizeLinear;
  rules["DequantizeLinear"] = importDequantizeLinear;
  rules["DynamicQuantizeLinear"] = importDynamicQuantizeLinear;
  rules["MatMulInteger"] = importMatMulInteger;
  rules["ConvInteger"] = importConvInteger;
  rules["QLinearMatMul"] = importQLinearMatMul;
  rules["QLinearConv"] = importQLinearConv;
}
