//===- Passes.h - kiln to linalg conversion ---------------------*- C++ -*-===//
//
// Part of Kiln. Lowers the kiln dialect to upstream linalg, tensor, arith and
// math ops on statically shaped tensors.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CONVERSION_KILNTOLINALG_PASSES_H
#define COMPILER_CONVERSION_KILNTOLINALG_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

#include <memory>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace mlir::kiln {

#define GEN_PASS_DECL
#include "compiler/conversion/KilnToLinalg/Passes.h.inc"

/// Maps tensors of unsigned integers (`ui8`..`ui64`) to tensors of the
/// signless integers of the same width, which linalg and arith require, and
/// leaves every other type alone. Unrealized casts materialize the boundary
/// with code that is not converted.
class KilnToLinalgTypeConverter : public TypeConverter {
public:
  KilnToLinalgTypeConverter();
};

/// Adds the patterns that lower every kiln op to linalg/tensor/arith/math.
/// The patterns expect static shapes (they fail to match otherwise) and use
/// `typeConverter` (normally a KilnToLinalgTypeConverter) for result types.
void populateKilnToLinalgPatterns(const TypeConverter &typeConverter,
                                  RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "compiler/conversion/KilnToLinalg/Passes.h.inc"

} // namespace mlir::kiln

#endif // COMPILER_CONVERSION_KILNTOLINALG_PASSES_H
