//===- NodeContext.h - What an ONNX import rule sees ------------*- C++ -*-===//
//
// Part of Kiln. An import rule turns one ONNX node into kiln ops (or into a
// HostTensor when its inputs are known). NodeContext gives it the node's
// inputs, attributes with ONNX defaults, the opset version, and op builders
// whose type inference reports located errors instead of asserting.
//
// Errors are sticky: a getter that finds a malformed attribute reports it
// and marks the node failed; the importer then stops after the rule returns.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_NODECONTEXT_H
#define COMPILER_FRONTENDS_ONNX_NODECONTEXT_H

#include "compiler/frontends/onnx/HostTensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace onnx {
class AttributeProto;
class GraphProto;
class NodeProto;
class TensorProto;
} // namespace onnx

namespace mlir::kiln::onnx {

class GraphImporter;

class NodeContext {
public:
  NodeContext(GraphImporter &importer, const ::onnx::NodeProto &node,
              mlir::Location loc);

  const ::onnx::NodeProto &getNode() const { return node; }
  llvm::StringRef getOpType() const;
  /// The model's `ai.onnx` opset: rules switch semantics on it.
  int64_t getOpset() const;
  mlir::OpBuilder &getBuilder();
  mlir::Location getLoc() const { return loc; }
  mlir::MLIRContext *getContext() const { return loc.getContext(); }
  /// The importer, for rules that import subgraphs (control flow).
  GraphImporter &getImporter() { return importer; }

  //===--------------------------------------------------------------------===//
  // Inputs
  //===--------------------------------------------------------------------===//

  /// Number of inputs, not counting trailing omitted (empty) ones.
  unsigned getNumInputs() const;
  /// True when input `i` exists and is not omitted.
  bool hasInput(unsigned i) const;
  /// The SSA value of input `i`; reports an error when it is missing.
  mlir::Value getInput(unsigned i);
  mlir::RankedTensorType getInputType(unsigned i);
  /// The contents of input `i` when known at import time, else null.
  const HostTensor *getConstantInput(unsigned i);
  /// The integer contents of input `i`, which must be known at import time
  /// (`what` names it in the error otherwise).
  std::optional<std::vector<int64_t>> requireConstantInts(unsigned i,
                                                          llvm::StringRef what);

  /// Checks the node has between `min` and `max` inputs.
  bool checkNumInputs(unsigned min, unsigned max);

  //===--------------------------------------------------------------------===//
  // Attributes: the default when absent, an error when of the wrong kind.
  //===--------------------------------------------------------------------===//

  bool hasAttr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t defaultValue);
  float getFloat(llvm::StringRef name, float defaultValue);
  std::string getString(llvm::StringRef name, llvm::StringRef defaultValue);
  std::optional<std::vector<int64_t>> getInts(llvm::StringRef name);
  std::optional<std::vector<float>> getFloats(llvm::StringRef name);
  const ::onnx::TensorProto *getTensor(llvm::StringRef name);
  /// The subgraph of a graph attribute (If branches, Loop and Scan bodies),
  /// or null when absent.
  const ::onnx::GraphProto *getGraphAttr(llvm::StringRef name);
  /// Reports attributes that ONNX defines but Kiln does not implement.
  void rejectAttr(llvm::StringRef name, llvm::StringRef why);

  //===--------------------------------------------------------------------===//
  // Outputs
  //===--------------------------------------------------------------------===//

  unsigned getNumOutputs() const;
  /// True when output `i` exists and a node or the graph consumes it.
  bool isOutputUsed(unsigned i) const;
  void setOutput(unsigned i, mlir::Value value);
  void setOutput(unsigned i, HostTensor value);
  /// Makes output `output` another name for input `input` (Identity).
  void forwardInput(unsigned input, unsigned output);

  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  /// An error about this node; the node counts as failed.
  mlir::InFlightDiagnostic emitError();
  /// A valid use of the operator that Kiln cannot import yet.
  mlir::InFlightDiagnostic emitUnsupported();
  bool hasFailed() const { return failed; }

  /// Normalizes a possibly negative axis into [0, rank); error if outside.
  std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                       llvm::StringRef what = "axis");

  //===--------------------------------------------------------------------===//
  // Building ops
  //===--------------------------------------------------------------------===//

  /// Builds a kiln op whose result type is inferred. Inference and verifier
  /// errors are reported at the node and yield a null value.
  template <typename OpTy, typename... Args>
  mlir::Value create(Args &&...args) {
    if (failed)
      return {};
    mlir::OperationState state(loc, OpTy::getOperationName());
    OpTy::build(getBuilder(), state, mlir::Type(), std::forward<Args>(args)...);
    state.types.clear();
    llvm::SmallVector<mlir::Type, 1> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            getContext(), loc, state.operands,
            state.attributes.getDictionary(getContext()),
            state.getRawProperties(), state.regions, types))) {
      failed = true;
      return {};
    }
    state.addTypes(types);
    return finishOp(state);
  }

  /// Builds a kiln op with an explicit result type (reshape, cast).
  template <typename OpTy, typename... Args>
  mlir::Value createWithType(mlir::Type resultType, Args &&...args) {
    if (failed)
      return {};
    mlir::OperationState state(loc, OpTy::getOperationName());
    OpTy::build(getBuilder(), state, resultType, std::forward<Args>(args)...);
    return finishOp(state);
  }

  /// Decodes a small tensor attribute; reports an error on bad data.
  std::optional<HostTensor> decodeTensor(const ::onnx::TensorProto &tensor);
  /// A kiln.constant for a tensor attribute (large ones as dense_resource,
  /// named after the node's first output).
  mlir::Value createTensorConstant(const ::onnx::TensorProto &tensor);
  /// A kiln.constant holding `value`.
  mlir::Value createConstant(const HostTensor &value);
  /// A rank-0 kiln.constant of `elementType` holding `value`.
  mlir::Value createScalar(double value, mlir::Type elementType);
  /// Reshapes `value` to `shape` (a no-op when it already has it).
  mlir::Value createReshape(mlir::Value value, llvm::ArrayRef<int64_t> shape);

private:
  const ::onnx::AttributeProto *findAttr(llvm::StringRef name,
                                         int expectedType);
  mlir::Value finishOp(mlir::OperationState &state);

  GraphImporter &importer;
  const ::onnx::NodeProto &node;
  mlir::Location loc;
  bool failed = false;
};

/// An import rule for one ONNX operator type.
using ImportRule = void (*)(NodeContext &);
using ImportRuleMap = llvm::StringMap<ImportRule>;

/// Every supported `ai.onnx` operator type and its rule.
const ImportRuleMap &getImportRules();

// Each file of rules adds its operators.
void addElementwiseRules(ImportRuleMap &rules);
void addTensorRules(ImportRuleMap &rules);
void addNeuralNetRules(ImportRuleMap &rules);
void addReductionRules(ImportRuleMap &rules);
void addDataMovementRules(ImportRuleMap &rules);
void addRecurrentRules(ImportRuleMap &rules);
void addLossRules(ImportRuleMap &rules);
void addEinsumRules(ImportRuleMap &rules);
void addAttentionRules(ImportRuleMap &rules);
void addOpset23Rules(ImportRuleMap &rules);
void addQuantizationRules(ImportRuleMap &rules);
void addSignalRules(ImportRuleMap &rules);
void addControlFlowRules(ImportRuleMap &rules);
void addSamplingRules(ImportRuleMap &rules);
void addLinearAlgebraRules(ImportRuleMap &rules);
void addTfIdfVectorizerRules(ImportRuleMap &rules);

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_NODECONTEXT_H
