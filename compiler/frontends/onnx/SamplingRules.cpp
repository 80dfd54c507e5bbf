//===- SamplingRules.cpp - ONNX sampling operators ------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

void mlir::kiln::onnx::addSamplingRules(ImportRuleMap &rules) {}
