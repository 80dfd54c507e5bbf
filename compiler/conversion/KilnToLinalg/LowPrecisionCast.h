//===- LowPrecisionCast.h - Casts to and from 8- and 4-bit floats -*- C++ -*-=//
//
// Part of Kiln. Scalar conversions between f32/f64 and the 8- and 4-bit
// float types of dialects/kiln/IR/LowPrecisionTypes.h, built from integer
// arith ops so that neither LLVM nor a runtime library has to know the
// formats.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CONVERSION_KILNTOLINALG_LOWPRECISIONCAST_H
#define COMPILER_CONVERSION_KILNTOLINALG_LOWPRECISIONCAST_H

#include "mlir/IR/Builders.h"

namespace mlir::kiln {

/// The f32 value of `x`, a scalar of the low-precision float type `from`
/// (f8 types as themselves, float4e2m1 as its i4 code). Exact: f32 holds
/// every value of these formats.
Value decodeLowPrecisionFloat(OpBuilder &b, Location loc, Value x, Type from);

/// `x` (f32 or f64) rounded to nearest-even into the low-precision float
/// type `to`, as ONNX Cast does: with `saturate`, values beyond the largest
/// finite value and infinities become that value; without it they become
/// infinity (f8E5M2) or NaN (the other f8 types). float4e2m1 always
/// saturates. The result has type `to`, or i4 for float4e2m1.
Value encodeLowPrecisionFloat(OpBuilder &b, Location loc, Value x, Type to,
                              bool saturate);

} // namespace mlir::kiln

#endif // COMPILER_CONVERSION_KILNTOLINALG_LOWPRECISIONCAST_H
