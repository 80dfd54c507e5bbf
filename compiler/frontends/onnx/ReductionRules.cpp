//===- ReductionRules.cpp - ONNX import rules ------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

void mlir::kiln::onnx::addReductionRules(ImportRuleMap &rules) { (void)rules; }
