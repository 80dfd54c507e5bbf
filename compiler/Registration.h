//===- Registration.h - Register Kiln dialects and passes -------*- C++ -*-===//
//
// Part of Kiln. One place that knows every dialect and pass, used by kiln-opt
// and the kiln driver so both see the same world.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_REGISTRATION_H
#define COMPILER_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::kiln {

/// Adds the Kiln dialects and the upstream dialects Kiln produces.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers Kiln's passes and the upstream passes its pipelines use.
void registerAllPasses();

} // namespace mlir::kiln

#endif // COMPILER_REGISTRATION_H
