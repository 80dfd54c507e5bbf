//===- LowPrecisionTypes.h - 8- and 4-bit element types ---------*- C++ -*-===//
//
// Part of Kiln. How the kiln dialect carries ONNX's low-precision element
// types, shared by the frontend, the lowering of kiln.cast, code generation
// and the driver.
//
// - FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2 and FLOAT8E5M2FNUZ are MLIR's
//   builtin f8E4M3FN, f8E4M3FNUZ, f8E5M2 and f8E5M2FNUZ. LLVM cannot compute
//   in them (MLIR's LLVM type conversion maps them to i8), so only kiln.cast
//   converts them, in integer arithmetic.
// - INT4 and UINT4 are i4 and ui4, like the wider integers.
// - FLOAT4E2M1: MLIR 19 has no 4-bit float type. Kiln carries it as `si4`,
//   a type it never uses otherwise (its signed integers are signless), so it
//   stays distinct from INT4 and UINT4 and the arithmetic ops' verifiers
//   reject it (they accept signless and unsigned integers only). The lowering
//   converts it to i4 holding the 4-bit code (sign, 2 exponent bits, 1
//   mantissa bit).
//
// In memory and at the C ABI every one of these types takes one byte per
// element: f8 types their 8-bit code, 4-bit types their code in the low
// nibble with the high nibble zero (int4 -3 is 0x0D).
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_IR_LOWPRECISIONTYPES_H
#define DIALECTS_KILN_IR_LOWPRECISIONTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::kiln {

/// ONNX `TensorProto.DataType` codes newer than Debian's onnx.proto (which
/// stops at BFLOAT16 = 16); the C ABI's kiln_dtype uses the same numbers.
enum OnnxLowPrecisionCode : int32_t {
  kOnnxFloat8E4M3FN = 17,
  kOnnxFloat8E4M3FNUZ = 18,
  kOnnxFloat8E5M2 = 19,
  kOnnxFloat8E5M2FNUZ = 20,
  kOnnxUInt4 = 21,
  kOnnxInt4 = 22,
  kOnnxFloat4E2M1 = 23,
};

/// The discardable attribute on kiln.cast that holds ONNX Cast's `saturate`
/// (a BoolAttr); absent means true, the ONNX default. It only matters for
/// casts to 8-bit floats.
inline constexpr llvm::StringLiteral kSaturateAttrName = "kiln.saturate";

/// The kiln element type of ONNX FLOAT4E2M1 (see the file comment).
inline Type getFloat4E2M1Type(MLIRContext *context) {
  return IntegerType::get(context, 4, IntegerType::Signed);
}

inline bool isFloat4E2M1(Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  return intType && intType.getWidth() == 4 && intType.isSigned();
}

/// One of the four 8-bit float types ONNX defines.
inline bool isOnnxFloat8(Type type) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
             Float8E5M2FNUZType>(type);
}

/// A float type that LLVM cannot compute in: only kiln.cast handles it.
inline bool isLowPrecisionFloat(Type type) {
  return isOnnxFloat8(type) || isFloat4E2M1(type);
}

/// The ONNX code of a low-precision element type (8-bit floats, 4-bit
/// types), or 0 for any other type.
inline int32_t getLowPrecisionOnnxCode(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return kOnnxFloat8E4M3FN;
  if (isa<Float8E4M3FNUZType>(type))
    return kOnnxFloat8E4M3FNUZ;
  if (isa<Float8E5M2Type>(type))
    return kOnnxFloat8E5M2;
  if (isa<Float8E5M2FNUZType>(type))
    return kOnnxFloat8E5M2FNUZ;
  if (isFloat4E2M1(type))
    return kOnnxFloat4E2M1;
  if (auto intType = dyn_cast<IntegerType>(type);
      intType && intType.getWidth() == 4)
    return intType.isUnsigned() ? kOnnxUInt4 : kOnnxInt4;
  return 0;
}

} // namespace mlir::kiln

#endif // DIALECTS_KILN_IR_LOWPRECISIONTYPES_H
