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

#endif // DIALECTS_KILN_RT_IR_KILNRTDIALECT_H
