//===- ControlFlowRules.cpp - ONNX control flow (If, Loop, Scan) ----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

void mlir::kiln::onnx::addControlFlowRules(ImportRuleMap &rules) {}
