//===- LowPrecisionCast.cpp - Casts to and from 8- and 4-bit floats -------===//
//
// Part of Kiln. LLVM cannot compute in f8 types (MLIR's LLVM lowering maps
// them to i8) and MLIR 19 has no f4 type at all, so kiln.cast converts them
// here with integer arithmetic on the bit patterns. The rounding and the
// special values follow the ONNX reference (ml_dtypes): round to nearest,
// ties to even, with subnormals; f8E4M3FN and f4E2M1 have no infinity,
// the FNUZ types have a single NaN (0x80) and no negative zero.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/LowPrecisionCast.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/ErrorHandling.h"

#include <cmath>
#include <optional>

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The layout and special values of one low-precision float format. Codes
/// are magnitudes (the sign bit clear) unless said otherwise.
struct Format {
  unsigned width;        // total bits
  unsigned mantissaBits; // stored mantissa bits
  int bias;
  uint64_t maxCode;            // the largest finite value
  std::optional<uint64_t> inf; // only f8E5M2 has infinities
  std::optional<uint64_t> nan; // a NaN magnitude; the sign is kept
  bool unsignedZero;           // FNUZ: NaN is the lone code 0x80, no -0
};

Format getFormat(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return {8, 3, 7, 0x7E, std::nullopt, 0x7F, false};
  if (isa<Float8E4M3FNUZType>(type))
    return {8, 3, 8, 0x7F, std::nullopt, std::nullopt, true};
  if (isa<Float8E5M2Type>(type))
    return {8, 2, 15, 0x7B, 0x7C, 0x7E, false};
  if (isa<Float8E5M2FNUZType>(type))
    return {8, 2, 16, 0x7F, std::nullopt, std::nullopt, true};
  if (isFloat4E2M1(type))
    return {4, 1, 1, 0x7, std::nullopt, std::nullopt, false};
  llvm_unreachable("not a low-precision float type");
}

/// Integer arithmetic on one scalar type, to keep the bit twiddling legible.
struct IntBuilder {
  OpBuilder &b;
  Location loc;
  Type type;

  Value c(int64_t value) {
    return b.create<arith::ConstantOp>(
        loc, IntegerAttr::get(type, APInt(type.getIntOrFloatBitWidth(), value,
                                          /*isSigned=*/true)));
  }
  Value add(Value x, Value y) { return b.create<arith::AddIOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<arith::SubIOp>(loc, x, y); }
  Value band(Value x, Value y) { return b.create<arith::AndIOp>(loc, x, y); }
  Value bor(Value x, Value y) { return b.create<arith::OrIOp>(loc, x, y); }
  Value shl(Value x, Value y) { return b.create<arith::ShLIOp>(loc, x, y); }
  Value shr(Value x, Value y) { return b.create<arith::ShRUIOp>(loc, x, y); }
  Value cmp(arith::CmpIPredicate pred, Value x, Value y) {
    return b.create<arith::CmpIOp>(loc, pred, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return b.create<arith::SelectOp>(loc, cond, x, y);
  }
};

/// `t >> shift` rounded to nearest, ties to even (1 <= shift < width).
Value shiftRightRoundEven(IntBuilder &ib, Value t, Value shift) {
  using P = arith::CmpIPredicate;
  Value one = ib.c(1);
  Value quotient = ib.shr(t, shift);
  Value remainder = ib.band(t, ib.sub(ib.shl(one, shift), one));
  Value half = ib.shl(one, ib.sub(shift, one));
  Value above = ib.cmp(P::ugt, remainder, half);
  Value tie = ib.b.create<arith::AndIOp>(
      ib.loc, ib.cmp(P::eq, remainder, half),
      ib.cmp(P::ne, ib.band(quotient, one), ib.c(0)));
  Value up = ib.b.create<arith::OrIOp>(ib.loc, above, tie);
  return ib.add(quotient, ib.b.create<arith::ExtUIOp>(ib.loc, ib.type, up));
}

} // namespace

Value kiln::decodeLowPrecisionFloat(OpBuilder &b, Location loc, Value x,
                                    Type from) {
  using P = arith::CmpIPredicate;
  Format f = getFormat(from);
  Type i32 = b.getI32Type();
  Type f32 = b.getF32Type();
  if (isOnnxFloat8(from))
    x = b.create<arith::BitcastOp>(loc, b.getI8Type(), x);
  IntBuilder ib{b, loc, i32};
  Value code = b.create<arith::ExtUIOp>(loc, i32, x);
  Value sign = ib.shl(ib.shr(code, ib.c(f.width - 1)), ib.c(31));
  Value magnitude = ib.band(code, ib.c((1 << (f.width - 1)) - 1));
  Value exponent = ib.shr(magnitude, ib.c(f.mantissaBits));
  Value mantissa = ib.band(magnitude, ib.c((1 << f.mantissaBits) - 1));

  // Normal numbers rebias the exponent and widen the mantissa.
  Value normal = ib.bor(ib.shl(ib.add(exponent, ib.c(127 - f.bias)), ib.c(23)),
                        ib.shl(mantissa, ib.c(23 - f.mantissaBits)));
  // Subnormals (and zero) are mantissa * 2^(1 - bias - mantissaBits), exact
  // in f32.
  Value scaled = b.create<arith::MulFOp>(
      loc, b.create<arith::UIToFPOp>(loc, f32, mantissa),
      b.create<arith::ConstantOp>(
          loc, b.getF32FloatAttr(std::ldexp(
                   1.0f, 1 - f.bias - static_cast<int>(f.mantissaBits)))));
  Value subnormal = b.create<arith::BitcastOp>(loc, i32, scaled);
  Value bits = ib.bor(
      sign, ib.select(ib.cmp(P::eq, exponent, ib.c(0)), subnormal, normal));

  Value quietNaN = ib.c(0x7FC00000);
  if (f.unsignedZero) {
    bits = ib.select(ib.cmp(P::eq, code, ib.c(0x80)), quietNaN, bits);
  } else if (f.inf) {
    // f8E5M2: the top exponent holds infinities and NaNs, as in IEEE.
    Value top = ib.cmp(P::eq, exponent,
                       ib.c((1 << (f.width - 1 - f.mantissaBits)) - 1));
    Value special =
        ib.select(ib.cmp(P::eq, mantissa, ib.c(0)),
                  ib.bor(sign, ib.c(0x7F800000)), ib.bor(sign, quietNaN));
    bits = ib.select(top, special, bits);
  } else if (f.nan) {
    bits = ib.select(ib.cmp(P::eq, magnitude, ib.c(*f.nan)),
                     ib.bor(sign, quietNaN), bits);
  }
  return b.create<arith::BitcastOp>(loc, f32, bits);
}

Value kiln::encodeLowPrecisionFloat(OpBuilder &b, Location loc, Value x,
                                    Type to, bool saturate) {
  using P = arith::CmpIPredicate;
  Format f = getFormat(to);
  auto sourceType = cast<FloatType>(x.getType());
  // The source format: f32 or f64 (narrower floats widen exactly first).
  const unsigned n = sourceType.getWidth();
  const int64_t sourceMantissa = sourceType.getFPMantissaWidth() - 1;
  const int64_t sourceBias = n == 64 ? 1023 : 127;
  const int64_t m = f.mantissaBits;
  Type intType = b.getIntegerType(n);
  IntBuilder ib{b, loc, intType};

  Value bits = b.create<arith::BitcastOp>(loc, intType, x);
  Value sign = ib.shr(bits, ib.c(n - 1));
  Value magnitude =
      ib.band(bits, ib.c(static_cast<int64_t>((uint64_t(1) << (n - 1)) - 1)));
  Value infBits = ib.c(static_cast<int64_t>(
      ((uint64_t(1) << (n - 1 - sourceMantissa)) - 1) << sourceMantissa));
  Value isNaN = ib.cmp(P::ugt, magnitude, infBits);
  Value isInf = ib.cmp(P::eq, magnitude, infBits);

  // Unbiased exponent; below 1 - bias the result is subnormal (or zero).
  Value exponent =
      ib.sub(ib.shr(magnitude, ib.c(sourceMantissa)), ib.c(sourceBias));
  Value isSubnormal = ib.cmp(P::slt, exponent, ib.c(1 - f.bias));
  // Normal results: rebias the exponent in place; rounding the mantissa may
  // carry into the exponent, which is the right next value.
  Value rebiased =
      ib.sub(magnitude, ib.c((sourceBias - f.bias) << sourceMantissa));
  // Subnormal results: the significand with its implicit bit, shifted by how
  // far the exponent lies below the smallest normal one. Shifts beyond
  // mantissa + 2 round to zero all the same (and stay below the width);
  // source subnormals and zero take that path too.
  Value significand =
      ib.bor(ib.band(magnitude, ib.c((int64_t(1) << sourceMantissa) - 1)),
             ib.c(int64_t(1) << sourceMantissa));
  Value subShift = b.create<arith::MinSIOp>(
      loc, ib.add(ib.c(sourceMantissa - m), ib.sub(ib.c(1 - f.bias), exponent)),
      ib.c(sourceMantissa + 2));
  Value code = shiftRightRoundEven(
      ib, ib.select(isSubnormal, significand, rebiased),
      ib.select(isSubnormal, subShift, ib.c(sourceMantissa - m)));

  Value overflow =
      b.create<arith::OrIOp>(loc, isInf, ib.cmp(P::ugt, code, ib.c(f.maxCode)));
  // What an overflow becomes: the largest value when saturating (always for
  // float4e2m1, which has neither infinity nor NaN), else infinity or NaN
  // (the FNUZ types' NaN, 0x80, replaces the 0 below).
  bool toMax = saturate || (!f.inf && !f.nan && !f.unsignedZero);
  Value overflowCode = ib.c(toMax   ? f.maxCode
                            : f.inf ? *f.inf
                            : f.nan ? *f.nan
                                    : 0);
  Value result = ib.select(overflow, overflowCode, code);
  Value signBit = ib.shl(sign, ib.c(f.width - 1));

  if (f.unsignedZero) {
    // No negative zero; NaN (and an unsaturated overflow) is 0x80.
    result = ib.select(ib.cmp(P::eq, result, ib.c(0)), result,
                       ib.bor(result, signBit));
    Value toNaN = isNaN;
    if (!saturate)
      toNaN = b.create<arith::OrIOp>(loc, isNaN, overflow);
    result = ib.select(toNaN, ib.c(0x80), result);
  } else if (f.nan) {
    result = ib.bor(ib.select(isNaN, ib.c(*f.nan), result), signBit);
  } else {
    // float4e2m1: ml_dtypes maps NaN to a zero of the opposite sign.
    result = ib.select(isNaN, ib.shl(ib.sub(ib.c(1), sign), ib.c(3)),
                       ib.bor(result, signBit));
  }

  Value narrow =
      b.create<arith::TruncIOp>(loc, b.getIntegerType(f.width), result);
  if (isOnnxFloat8(to))
    return b.create<arith::BitcastOp>(loc, to, narrow);
  return narrow;
}
