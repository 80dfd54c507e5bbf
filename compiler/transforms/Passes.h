//===- Passes.h - Kiln graph and buffer passes ------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_TRANSFORMS_PASSES_H
#define COMPILER_TRANSFORMS_PASSES_H

#include "dialects/kiln_rt/IR/KilnRtDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::kiln {

#define GEN_PASS_DECL
#include "compiler/transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/transforms/Passes.h.inc"

} // namespace mlir::kiln

#endif // COMPILER_TRANSFORMS_PASSES_H
