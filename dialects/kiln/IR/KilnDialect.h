//===- KilnDialect.h - The kiln dialect ------------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_IR_KILNDIALECT_H
#define DIALECTS_KILN_IR_KILNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/kiln/IR/KilnDialect.h.inc"

#endif // DIALECTS_KILN_IR_KILNDIALECT_H
