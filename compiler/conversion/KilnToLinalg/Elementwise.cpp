//===- Elementwise.cpp - Lower kiln elementwise ops -----------------------===//
//
// Part of Kiln. Binary ops (numpy broadcasting), unary ops, comparisons,
// select, clip and cast become one parallel linalg.generic each; operands are
// read through broadcasting indexing maps (a broadcast size-1 dimension reads
// index 0). The kiln element type picks the scalar op: float, signed (signless
// integers) or unsigned (`ui*`, and `i1` booleans).
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/LowPrecisionCast.h"
#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <type_traits>

using namespace mlir;
using namespace mlir::kiln;

namespace {

//===----------------------------------------------------------------------===//
// Scalar bodies
//===----------------------------------------------------------------------===//

Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
  return b.create<arith::ConstantOp>(
      loc, IntegerAttr::get(type, APInt(type.getIntOrFloatBitWidth(), value,
                                        /*isSigned=*/true)));
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return b.create<arith::ConstantOp>(loc, FloatAttr::get(type, value));
}

Value buildAdd(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createAdd(b, loc, kind, lhs, rhs);
}

Value buildSub(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::SubFOp>(loc, lhs, rhs);
  return b.create<arith::SubIOp>(loc, lhs, rhs);
}

Value buildMul(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createMul(b, loc, kind, lhs, rhs);
}

/// Integer division truncates toward zero. Division by zero is undefined in
/// arith (and traps on x86), as is INT_MIN / -1, so both are defined here:
/// `x / 0 = 0` (numpy's answer) and `x / -1 = -x` (wrapping).
Value buildDiv(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  if (kind == ElementKind::Float)
    return b.create<arith::DivFOp>(loc, lhs, rhs);
  Type type = lhs.getType();
  Value zero = intConstant(b, loc, type, 0);
  Value one = intConstant(b, loc, type, 1);
  Value isZero =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs, zero);
  if (isUnsignedLike(kind)) {
    Value divisor = b.create<arith::SelectOp>(loc, isZero, one, rhs);
    Value quotient = b.create<arith::DivUIOp>(loc, lhs, divisor);
    return b.create<arith::SelectOp>(loc, isZero, zero, quotient);
  }
  Value minusOne = intConstant(b, loc, type, -1);
  Value isMinusOne =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs, minusOne);
  Value special = b.create<arith::OrIOp>(loc, isZero, isMinusOne);
  Value divisor = b.create<arith::SelectOp>(loc, special, one, rhs);
  Value quotient = b.create<arith::DivSIOp>(loc, lhs, divisor);
  Value negated = b.create<arith::SubIOp>(loc, zero, lhs);
  quotient = b.create<arith::SelectOp>(loc, isMinusOne, negated, quotient);
  return b.create<arith::SelectOp>(loc, isZero, zero, quotient);
}

Value buildPow(OpBuilder &b, Location loc, ElementKind, Value lhs, Value rhs) {
  return b.create<math::PowFOp>(loc, lhs, rhs);
}

Value buildMax(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createMax(b, loc, kind, lhs, rhs);
}

Value buildMin(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs) {
  return createMin(b, loc, kind, lhs, rhs);
}

// abs and relu of unsigned integers and booleans are the identity; the
// pattern replaces them by their operand before a body is built.

Value buildNeg(OpBuilder &b, Location loc, ElementKind kind, Value x) {
  if (kind == ElementKind::Float)
    return b.create<arith::NegFOp>(loc, x);
  return b.create<arith::SubIOp>(loc, intConstant(b, loc, x.getType(), 0), x);
}

Value buildAbs(OpBuilder &b, Location loc, ElementKind kind, Value x) {
  if (kind == ElementKind::Float)
    return b.create<math::AbsFOp>(loc, x);
  if (kind == ElementKind::Signed)
    return b.create<math::AbsIOp>(loc, x);
  return x;
}

Value buildRelu(OpBuilder &b, Location loc, ElementKind kind, Value x) {
  if (kind == ElementKind::Float)
    return b.create<arith::MaximumFOp>(loc, x,
                                       floatConstant(b, loc, x.getType(), 0.0));
  if (kind == ElementKind::Signed)
    return b.create<arith::MaxSIOp>(loc, x,
                                    intConstant(b, loc, x.getType(), 0));
  return x;
}

Value buildSigmoid(OpBuilder &b, Location loc, ElementKind, Value x) {
  Value one = floatConstant(b, loc, x.getType(), 1.0);
  Value negated = b.create<arith::NegFOp>(loc, x);
  Value exp = b.create<math::ExpOp>(loc, negated);
  Value denominator = b.create<arith::AddFOp>(loc, one, exp);
  return b.create<arith::DivFOp>(loc, one, denominator);
}

/// `sign`: 1 above zero, -1 below, and the operand itself otherwise (zeros
/// and NaN for floats, 0 for integers).
Value buildSign(OpBuilder &b, Location loc, ElementKind kind, Value x) {
  Type type = x.getType();
  if (kind == ElementKind::Bool)
    return x;
  if (kind == ElementKind::Float) {
    Value zero = floatConstant(b, loc, type, 0.0);
    Value isPos =
        b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, zero);
    Value isNeg =
        b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, zero);
    Value negOrX = b.create<arith::SelectOp>(
        loc, isNeg, floatConstant(b, loc, type, -1.0), x);
    return b.create<arith::SelectOp>(loc, isPos,
                                     floatConstant(b, loc, type, 1.0), negOrX);
  }
  Value zero = intConstant(b, loc, type, 0);
  Value one = intConstant(b, loc, type, 1);
  if (kind == ElementKind::Unsigned) {
    Value isPos =
        b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x, zero);
    return b.create<arith::SelectOp>(loc, isPos, one, zero);
  }
  Value isPos =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, x, zero);
  Value isNeg =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, zero);
  Value negOrZero = b.create<arith::SelectOp>(
      loc, isNeg, intConstant(b, loc, type, -1), zero);
  return b.create<arith::SelectOp>(loc, isPos, one, negOrZero);
}

/// `not`: the bitwise complement (`i1`: logical negation).
Value buildNot(OpBuilder &b, Location loc, ElementKind, Value x) {
  return b.create<arith::XOrIOp>(loc, x, intConstant(b, loc, x.getType(), -1));
}

Value buildAnd(OpBuilder &b, Location loc, ElementKind, Value lhs, Value rhs) {
  return b.create<arith::AndIOp>(loc, lhs, rhs);
}

Value buildOr(OpBuilder &b, Location loc, ElementKind, Value lhs, Value rhs) {
  return b.create<arith::OrIOp>(loc, lhs, rhs);
}

Value buildXor(OpBuilder &b, Location loc, ElementKind, Value lhs, Value rhs) {
  return b.create<arith::XOrIOp>(loc, lhs, rhs);
}

/// Shifts are poison in arith when the amount reaches the bit width; kiln
/// defines them: every bit is shifted out (0, or the sign for an arithmetic
/// right shift). A negative signed amount counts as a large one.
Value buildShiftLeft(OpBuilder &b, Location loc, ElementKind, Value lhs,
                     Value rhs) {
  Type type = lhs.getType();
  Value zero = intConstant(b, loc, type, 0);
  Value width = intConstant(b, loc, type, type.getIntOrFloatBitWidth());
  Value tooFar =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::uge, rhs, width);
  Value amount = b.create<arith::SelectOp>(loc, tooFar, zero, rhs);
  Value shifted = b.create<arith::ShLIOp>(loc, lhs, amount);
  return b.create<arith::SelectOp>(loc, tooFar, zero, shifted);
}

Value buildShiftRight(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
                      Value rhs) {
  Type type = lhs.getType();
  unsigned bits = type.getIntOrFloatBitWidth();
  Value zero = intConstant(b, loc, type, 0);
  Value width = intConstant(b, loc, type, bits);
  Value tooFar =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::uge, rhs, width);
  if (kind == ElementKind::Signed) {
    Value amount = b.create<arith::SelectOp>(
        loc, tooFar, intConstant(b, loc, type, bits - 1), rhs);
    return b.create<arith::ShRSIOp>(loc, lhs, amount);
  }
  Value amount = b.create<arith::SelectOp>(loc, tooFar, zero, rhs);
  Value shifted = b.create<arith::ShRUIOp>(loc, lhs, amount);
  return b.create<arith::SelectOp>(loc, tooFar, zero, shifted);
}

/// Remainder: truncated (`fmod`, sign of the dividend) or floored (sign of
/// the divisor). An integer remainder by zero is 0; a divisor of -1 always
/// leaves 0 (which also avoids the INT_MIN % -1 overflow).
Value buildMod(OpBuilder &b, Location loc, ElementKind kind, Value lhs,
               Value rhs, bool fmod) {
  if (kind == ElementKind::Float)
    return b.create<arith::RemFOp>(loc, lhs, rhs);
  Type type = lhs.getType();
  Value zero = intConstant(b, loc, type, 0);
  Value one = intConstant(b, loc, type, 1);
  Value isZero =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs, zero);
  if (isUnsignedLike(kind)) {
    Value divisor = b.create<arith::SelectOp>(loc, isZero, one, rhs);
    return b.create<arith::RemUIOp>(loc, lhs, divisor);
  }
  Value isMinusOne = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs,
                                             intConstant(b, loc, type, -1));
  Value special = b.create<arith::OrIOp>(loc, isZero, isMinusOne);
  Value divisor = b.create<arith::SelectOp>(loc, special, one, rhs);
  Value rem = b.create<arith::RemSIOp>(loc, lhs, divisor);
  if (fmod)
    return rem;
  // Floored: a non-zero remainder whose sign differs from the divisor's
  // moves by one divisor.
  Value remNonZero =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, rem, zero);
  Value remNeg =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, rem, zero);
  Value divNeg =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, divisor, zero);
  Value signsDiffer = b.create<arith::XOrIOp>(loc, remNeg, divNeg);
  Value adjust = b.create<arith::AndIOp>(loc, remNonZero, signsDiffer);
  Value adjusted = b.create<arith::AddIOp>(loc, rem, divisor);
  return b.create<arith::SelectOp>(loc, adjust, adjusted, rem);
}

/// A comparison of two scalars of `kind`: ordered for floats except `ne`.
Value buildCompare(OpBuilder &b, Location loc, ElementKind kind,
                   ComparePredicate predicate, Value lhs, Value rhs) {
  if (kind == ElementKind::Float) {
    arith::CmpFPredicate p;
    switch (predicate) {
    case ComparePredicate::eq:
      p = arith::CmpFPredicate::OEQ;
      break;
    case ComparePredicate::ne:
      p = arith::CmpFPredicate::UNE;
      break;
    case ComparePredicate::lt:
      p = arith::CmpFPredicate::OLT;
      break;
    case ComparePredicate::le:
      p = arith::CmpFPredicate::OLE;
      break;
    case ComparePredicate::gt:
      p = arith::CmpFPredicate::OGT;
      break;
    case ComparePredicate::ge:
      p = arith::CmpFPredicate::OGE;
      break;
    }
    return b.create<arith::CmpFOp>(loc, p, lhs, rhs);
  }
  bool uns = isUnsignedLike(kind);
  arith::CmpIPredicate p;
  switch (predicate) {
  case ComparePredicate::eq:
    p = arith::CmpIPredicate::eq;
    break;
  case ComparePredicate::ne:
    p = arith::CmpIPredicate::ne;
    break;
  case ComparePredicate::lt:
    p = uns ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt;
    break;
  case ComparePredicate::le:
    p = uns ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle;
    break;
  case ComparePredicate::gt:
    p = uns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt;
    break;
  case ComparePredicate::ge:
    p = uns ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge;
    break;
  }
  return b.create<arith::CmpIOp>(loc, p, lhs, rhs);
}

template <typename MathOp>
Value buildMath(OpBuilder &b, Location loc, ElementKind, Value x) {
  return b.create<MathOp>(loc, x);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

using BinaryBody = Value (*)(OpBuilder &, Location, ElementKind, Value, Value);
using UnaryBody = Value (*)(OpBuilder &, Location, ElementKind, Value);

template <typename OpTy> struct BinaryLowering : OpConversionPattern<OpTy> {
  BinaryLowering(const TypeConverter &converter, MLIRContext *ctx,
                 BinaryBody body)
      : OpConversionPattern<OpTy>(converter, ctx), body(body) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return body(b, loc, kind, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  BinaryBody body;
};

template <typename OpTy> struct UnaryLowering : OpConversionPattern<OpTy> {
  UnaryLowering(const TypeConverter &converter, MLIRContext *ctx,
                UnaryBody body)
      : OpConversionPattern<OpTy>(converter, ctx), body(body) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    // abs and relu are the identity on unsigned integers and booleans.
    if (kind != ElementKind::Float && kind != ElementKind::Signed &&
        (std::is_same_v<OpTy, AbsOp> || std::is_same_v<OpTy, ReluOp>)) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    auto type = convertTensorType(*this->getTypeConverter(), op.getType());
    Value result =
        createElementwise(rewriter, op.getLoc(), type, {adaptor.getInput()},
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return body(b, loc, kind, args[0]);
                          });
    rewriter.replaceOp(op, result);
    return success();
  }

  UnaryBody body;
};

struct ModLowering : OpConversionPattern<ModOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ModOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    bool fmod = op.getFmod();
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildMod(b, loc, kind, args[0], args[1], fmod);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CompareLowering : OpConversionPattern<CompareOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CompareOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getLhs().getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    ComparePredicate predicate = op.getPredicate();
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildCompare(b, loc, kind, predicate, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SelectLowering : OpConversionPattern<SelectOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Value result = createElementwise(
        rewriter, op.getLoc(), type,
        {adaptor.getCondition(), adaptor.getTrueValue(),
         adaptor.getFalseValue()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::SelectOp>(loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The integer bound of `clip` for an integer type: `min` rounds up and
/// `max` rounds down to an integer, saturated to the type's range. Returns
/// nullopt when the bound cannot clip anything (it lies at or beyond the
/// type's extreme on its own side).
std::optional<APInt> getIntegerBound(double bound, bool isMin, IntegerType type,
                                     ElementKind kind) {
  unsigned width = type.getWidth();
  bool isSigned = kind == ElementKind::Signed;
  APInt lowest =
      isSigned ? APInt::getSignedMinValue(width) : APInt::getMinValue(width);
  APInt highest =
      isSigned ? APInt::getSignedMaxValue(width) : APInt::getMaxValue(width);
  double rounded = isMin ? std::ceil(bound) : std::floor(bound);
  // Compare in double: the extremes of 64-bit types round to +-2^63 / 2^64,
  // and values at or beyond them saturate.
  double lowestD = isSigned ? lowest.roundToDouble(/*isSigned=*/true) : 0.0;
  double highestD = highest.roundToDouble(isSigned);
  APInt value;
  if (rounded <= lowestD)
    value = lowest;
  else if (rounded >= highestD)
    value = highest;
  else if (isSigned)
    value = APInt(width, static_cast<int64_t>(rounded), /*isSigned=*/true);
  else
    value = APInt(width, static_cast<uint64_t>(rounded));
  if (isMin && value == lowest)
    return std::nullopt;
  if (!isMin && value == highest)
    return std::nullopt;
  return value;
}

struct ClipLowering : OpConversionPattern<ClipOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Type elementType = type.getElementType();
    // The bounds as attributes of the element type; null when absent or when
    // they cannot clip anything.
    auto getBound = [&](FloatAttr bound, bool isMin) -> TypedAttr {
      if (!bound)
        return nullptr;
      double value = bound.getValueAsDouble();
      if (auto floatType = dyn_cast<FloatType>(elementType))
        return FloatAttr::get(floatType, value);
      auto intType = cast<IntegerType>(elementType);
      if (auto bits = getIntegerBound(value, isMin, intType, kind))
        return IntegerAttr::get(intType, *bits);
      return nullptr;
    };
    TypedAttr minAttr = getBound(op.getMinAttr(), /*isMin=*/true);
    TypedAttr maxAttr = getBound(op.getMaxAttr(), /*isMin=*/false);
    if (!minAttr && !maxAttr) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0];
          if (minAttr)
            x = createMax(b, loc, kind, x, createScalar(b, loc, minAttr));
          if (maxAttr)
            x = createMin(b, loc, kind, x, createScalar(b, loc, maxAttr));
          return x;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Converts one scalar from the kiln element type `from` to `to` (kinds
/// taken from the kiln types, values already signless); both types are
/// floats, integers or booleans.
Value buildCast(OpBuilder &b, Location loc, Value x, Type from, Type to,
                Type toSignless) {
  ElementKind fromKind = getElementKind(from), toKind = getElementKind(to);
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromKind == ElementKind::Float) {
    if (toKind == ElementKind::Float) {
      if (toWidth > fromWidth)
        return b.create<arith::ExtFOp>(loc, toSignless, x);
      if (toWidth < fromWidth)
        return b.create<arith::TruncFOp>(loc, toSignless, x);
      // Same width, different format (f16 <-> bf16): through f32.
      Value wide = b.create<arith::ExtFOp>(loc, b.getF32Type(), x);
      return b.create<arith::TruncFOp>(loc, toSignless, wide);
    }
    if (toKind == ElementKind::Bool) // NaN is non-zero, so true.
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, x,
                                     floatConstant(b, loc, from, 0.0));
    if (toWidth < 8) {
      // int4 and uint4 wrap around as the ONNX reference (numpy) does:
      // convert to i32, then keep the low bits.
      Value wide = b.create<arith::FPToSIOp>(loc, b.getI32Type(), x);
      return b.create<arith::TruncIOp>(loc, toSignless, wide);
    }
    if (toKind == ElementKind::Signed)
      return b.create<arith::FPToSIOp>(loc, toSignless, x);
    return b.create<arith::FPToUIOp>(loc, toSignless, x);
  }
  // From an integer or a boolean.
  if (toKind == ElementKind::Float) {
    if (fromKind == ElementKind::Signed)
      return b.create<arith::SIToFPOp>(loc, toSignless, x);
    return b.create<arith::UIToFPOp>(loc, toSignless, x);
  }
  if (toKind == ElementKind::Bool)
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x,
                                   intConstant(b, loc, x.getType(), 0));
  if (toWidth > fromWidth) {
    if (fromKind == ElementKind::Signed)
      return b.create<arith::ExtSIOp>(loc, toSignless, x);
    return b.create<arith::ExtUIOp>(loc, toSignless, x);
  }
  if (toWidth < fromWidth)
    return b.create<arith::TruncIOp>(loc, toSignless, x);
  return x; // Same bits, other signedness.
}

/// buildCast for casts from or to an 8- or 4-bit float: through f32, which
/// holds every value of those formats; values bound for them come as f32 or
/// f64 (integers through f64, so that only the final step rounds).
Value buildLowPrecisionCast(OpBuilder &b, Location loc, Value x, Type from,
                            Type to, Type toSignless, bool saturate) {
  Type f32 = b.getF32Type(), f64 = b.getF64Type();
  if (isLowPrecisionFloat(from)) {
    x = decodeLowPrecisionFloat(b, loc, x, from);
    from = f32;
  }
  if (!isLowPrecisionFloat(to))
    return from == to ? x : buildCast(b, loc, x, from, to, toSignless);
  if (getElementKind(from) != ElementKind::Float)
    x = buildCast(b, loc, x, from, f64, f64);
  else if (from.getIntOrFloatBitWidth() < 32)
    x = b.create<arith::ExtFOp>(loc, f32, x);
  return encodeLowPrecisionFloat(b, loc, x, to, saturate);
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    Type from = op.getInput().getType().getElementType();
    Type to = op.getType().getElementType();
    if (adaptor.getInput().getType() == type) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    if (getElementKind(from) == ElementKind::Other ||
        getElementKind(to) == ElementKind::Other)
      return op.emitOpError("cannot lower a cast from ")
             << from << " to " << to
             << ": only float, integer and i1 element types are supported";
    if (isLowPrecisionFloat(from) || isLowPrecisionFloat(to)) {
      auto saturate = op->getAttrOfType<BoolAttr>(kSaturateAttrName);
      Value result = createElementwise(
          rewriter, op.getLoc(), type, {adaptor.getInput()},
          [&](OpBuilder &b, Location loc, ValueRange args) {
            return buildLowPrecisionCast(b, loc, args[0], from, to,
                                         type.getElementType(),
                                         !saturate || saturate.getValue());
          });
      rewriter.replaceOp(op, result);
      return success();
    }
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildCast(b, loc, args[0], from, to, type.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Same-width reinterpretation: arith.bitcast per element (nothing at all
/// when signedness was the only difference, which lowering erases).
struct BitcastLowering : OpConversionPattern<BitcastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BitcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticTensorTypes(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    if (adaptor.getInput().getType() == type) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Value result = createElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return b.create<arith::BitcastOp>(loc, type.getElementType(),
                                            args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateElementwiseLoweringPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BitcastLowering>(converter, ctx);
  patterns.add<BinaryLowering<AddOp>>(converter, ctx, buildAdd);
  patterns.add<BinaryLowering<SubOp>>(converter, ctx, buildSub);
  patterns.add<BinaryLowering<MulOp>>(converter, ctx, buildMul);
  patterns.add<BinaryLowering<DivOp>>(converter, ctx, buildDiv);
  patterns.add<BinaryLowering<PowOp>>(converter, ctx, buildPow);
  patterns.add<BinaryLowering<MaxOp>>(converter, ctx, buildMax);
  patterns.add<BinaryLowering<MinOp>>(converter, ctx, buildMin);
  patterns.add<UnaryLowering<NegOp>>(converter, ctx, buildNeg);
  patterns.add<UnaryLowering<AbsOp>>(converter, ctx, buildAbs);
  patterns.add<UnaryLowering<ReluOp>>(converter, ctx, buildRelu);
  patterns.add<UnaryLowering<SigmoidOp>>(converter, ctx, buildSigmoid);
  patterns.add<UnaryLowering<ExpOp>>(converter, ctx, buildMath<math::ExpOp>);
  patterns.add<UnaryLowering<LogOp>>(converter, ctx, buildMath<math::LogOp>);
  patterns.add<UnaryLowering<SqrtOp>>(converter, ctx, buildMath<math::SqrtOp>);
  patterns.add<UnaryLowering<TanhOp>>(converter, ctx, buildMath<math::TanhOp>);
  patterns.add<UnaryLowering<ErfOp>>(converter, ctx, buildMath<math::ErfOp>);
  patterns.add<BinaryLowering<AndOp>>(converter, ctx, buildAnd);
  patterns.add<BinaryLowering<OrOp>>(converter, ctx, buildOr);
  patterns.add<BinaryLowering<XorOp>>(converter, ctx, buildXor);
  patterns.add<BinaryLowering<ShiftLeftOp>>(converter, ctx, buildShiftLeft);
  patterns.add<BinaryLowering<ShiftRightOp>>(converter, ctx, buildShiftRight);
  patterns.add<UnaryLowering<NotOp>>(converter, ctx, buildNot);
  patterns.add<UnaryLowering<SignOp>>(converter, ctx, buildSign);
  patterns.add<UnaryLowering<FloorOp>>(converter, ctx,
                                       buildMath<math::FloorOp>);
  patterns.add<UnaryLowering<CeilOp>>(converter, ctx, buildMath<math::CeilOp>);
  patterns.add<UnaryLowering<RoundOp>>(converter, ctx,
                                       buildMath<math::RoundEvenOp>);
  patterns.add<UnaryLowering<SinOp>>(converter, ctx, buildMath<math::SinOp>);
  patterns.add<UnaryLowering<CosOp>>(converter, ctx, buildMath<math::CosOp>);
  patterns.add<UnaryLowering<TanOp>>(converter, ctx, buildMath<math::TanOp>);
  patterns.add<UnaryLowering<AsinOp>>(converter, ctx, buildMath<math::AsinOp>);
  patterns.add<UnaryLowering<AcosOp>>(converter, ctx, buildMath<math::AcosOp>);
  patterns.add<UnaryLowering<AtanOp>>(converter, ctx, buildMath<math::AtanOp>);
  patterns.add<UnaryLowering<SinhOp>>(converter, ctx, buildMath<math::SinhOp>);
  patterns.add<UnaryLowering<CoshOp>>(converter, ctx, buildMath<math::CoshOp>);
  patterns.add<UnaryLowering<AsinhOp>>(converter, ctx,
                                       buildMath<math::AsinhOp>);
  patterns.add<UnaryLowering<AcoshOp>>(converter, ctx,
                                       buildMath<math::AcoshOp>);
  patterns.add<UnaryLowering<AtanhOp>>(converter, ctx,
                                       buildMath<math::AtanhOp>);
  patterns.add<ClipLowering, CastLowering, ModLowering, CompareLowering,
               SelectLowering>(converter, ctx);
}
