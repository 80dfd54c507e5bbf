//===- ImportRules.cpp - The table of ONNX import rules -------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"

using namespace mlir::kiln::onnx;

const ImportRuleMap &mlir::kiln::onnx::getImportRules() {
  static const ImportRuleMap rules = [] {
    ImportRuleMap map;
    addElementwiseRules(map);
    addTensorRules(map);
    addNeuralNetRules(map);
    addReductionRules(map);
    addDataMovementRules(map);
    addRecurrentRules(map);
    addLossRules(map);
    addEinsumRules(map);
    addAttentionRules(map);
    addOpset23Rules(map);
    addQuantizationRules(map);
    addSignalRules(map);
    addControlFlowRules(map);
    addSamplingRules(map);
    addLinearAlgebraRules(map);
    addTfIdfVectorizerRules(map);
    return map;
  }();
  return rules;
}
