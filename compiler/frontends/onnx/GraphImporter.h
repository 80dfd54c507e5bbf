//===- GraphImporter.h - Walks an ONNX graph, builds kiln IR ----*- C++ -*-===//
//
// Part of Kiln. Internal to the ONNX frontend: validates the graph, orders
// its nodes, and keeps the map from ONNX tensor names to what is known about
// them (an SSA value, known contents, or a not yet materialized weight).
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_GRAPHIMPORTER_H
#define COMPILER_FRONTENDS_ONNX_GRAPHIMPORTER_H

#include "compiler/frontends/onnx/HostTensor.h"
#include "compiler/frontends/onnx/OnnxImporter.h"
#include "compiler/frontends/onnx/OnnxModel.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace onnx {
class GraphProto;
class NodeProto;
} // namespace onnx

namespace mlir::kiln::onnx {

class NodeContext;

/// What the importer knows about one ONNX tensor name.
struct TensorEntry {
  mlir::Value value;
  std::optional<HostTensor> host;
  /// A weight whose constant op is created on first use.
  const ::onnx::TensorProto *initializer = nullptr;
};

/// A graph being imported: the model's graph, or a subgraph (an If branch,
/// a Loop or Scan body) imported inline into the same function. Names
/// resolve innermost scope first (ONNX lexical scoping).
struct GraphScope {
  const ::onnx::GraphProto *graph = nullptr;
  /// Where the graph sits, for node names in messages: empty for the
  /// model's graph, else like "in the body of Loop 'loop0'".
  std::string where;
  llvm::StringMap<TensorEntry> tensors;
  /// Names that a node of this graph, a nested subgraph or the graph's
  /// outputs read.
  llvm::StringSet<> usedNames;
  /// The node whose rule is running (it owns any subgraph imported now).
  std::string activeNode;
};

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, const OnnxModel &model,
                const ImportOptions &options);
  ~GraphImporter();

  mlir::OwningOpRef<mlir::ModuleOp> run();

  // Used by NodeContext.
  mlir::OpBuilder &getBuilder() { return builder; }
  int64_t getOpset() const { return model.opsetVersion(); }
  const OnnxModel &getModel() const { return model; }
  /// The innermost definition of `name`, or null.
  TensorEntry *lookup(llvm::StringRef name);
  /// The SSA value for `name`, creating a constant op for known contents or
  /// weights on first use; null (after an error at `loc`) on failure.
  mlir::Value materialize(llvm::StringRef name, mlir::Location loc);
  /// Whether the graph being imported reads `name`.
  bool isUsed(llvm::StringRef name) const;
  /// Defines `name` in the graph being imported.
  void define(llvm::StringRef name, TensorEntry entry);
  /// A constant op for an ONNX tensor (weights become dense_resource).
  /// `name` names the resource blob (defaults to the tensor's name).
  mlir::Value createTensorConstant(const ::onnx::TensorProto &tensor,
                                   mlir::Location loc,
                                   llvm::StringRef name = {});

  /// Imports `body`, graph attribute `attrName` of the node `ctx` imports,
  /// inline at the insertion point: `inputs` bind its formal inputs in
  /// order, and names it does not define resolve in the enclosing graphs.
  /// Returns its outputs, each with an SSA value or known contents, or
  /// nullopt after reporting an error (the node has then failed).
  std::optional<llvm::SmallVector<TensorEntry>>
  importSubgraph(NodeContext &ctx, llvm::StringRef attrName,
                 const ::onnx::GraphProto &body,
                 llvm::ArrayRef<TensorEntry> inputs);

private:
  mlir::LogicalResult checkOpset();
  mlir::LogicalResult checkSupportedOps();
  mlir::LogicalResult collectInitializers();
  mlir::LogicalResult orderNodes(llvm::SmallVectorImpl<int> &order);
  mlir::LogicalResult
  addGraphInputs(mlir::Block *body, llvm::SmallVectorImpl<mlir::Type> &types,
                 llvm::SmallVectorImpl<mlir::Attribute> &attrs);
  std::optional<llvm::SmallVector<TensorEntry>>
  importSubgraphImpl(NodeContext &ctx, llvm::StringRef attrName,
                     const ::onnx::GraphProto &body,
                     llvm::ArrayRef<TensorEntry> inputs);
  mlir::LogicalResult importNodes();
  mlir::LogicalResult importNode(int index);
  mlir::Location getNodeLoc(int index) const;
  std::string getNodeName(int index) const;

  GraphScope &scope() { return *scopes.back(); }
  const GraphScope &scope() const { return *scopes.back(); }
  const ::onnx::GraphProto &graph() const { return *scope().graph; }

  mlir::MLIRContext &context;
  const OnnxModel &model;
  const ImportOptions &options;
  mlir::OpBuilder builder;
  mlir::Location fileLoc;
  /// The model's graph first, then the subgraphs being imported.
  std::vector<std::unique_ptr<GraphScope>> scopes;
  /// Set when a subgraph fails, so the node owning it fails too.
  bool subgraphFailed = false;
  /// Subgraph copies imported so far (each unrolled iteration is one).
  int64_t numSubgraphCopies = 0;
};

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_GRAPHIMPORTER_H
