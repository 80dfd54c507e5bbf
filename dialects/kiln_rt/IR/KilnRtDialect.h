//===- KilnRtDialect.h - The kiln_rt dialect -------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_RT_IR_KILNRTDIALECT_H
#define DIALECTS_KILN_RT_IR_KILNRTDIALECT_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Dialect.h"

#include "dialects/kiln_rt/IR/KilnRtDialect.h.inc"

#include <cstdint>

namespace mlir::kiln_rt {
/// Workspaces and the buffers planned inside them are aligned to this many
/// bytes (KILN_WORKSPACE_ALIGNMENT in runtime/include/kiln/runtime.h).
inline constexpr int64_t kWorkspaceAlignment = 64;
} // namespace mlir::kiln_rt

#endif // DIALECTS_KILN_RT_IR_KILNRTDIALECT_H
