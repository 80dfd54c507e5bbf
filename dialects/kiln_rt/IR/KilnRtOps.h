//===- KilnRtOps.h - kiln_rt dialect operations ----------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_RT_IR_KILNRTOPS_H
#define DIALECTS_KILN_RT_IR_KILNRTOPS_H

#include "dialects/kiln_rt/IR/KilnRtDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#define GET_OP_CLASSES
#include "dialects/kiln_rt/IR/KilnRtOps.h.inc"

#endif // DIALECTS_KILN_RT_IR_KILNRTOPS_H
