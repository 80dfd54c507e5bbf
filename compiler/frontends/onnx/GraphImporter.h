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

#include <optional>

namespace onnx {
class GraphProto;
class NodeProto;
} // namespace onnx

namespace mlir::kiln::onnx {

/// What the importer knows about one ONNX tensor name.
struct TensorEntry {
  mlir::Value value;
  std::optional<HostTensor> host;
  /// A weight whose constant op is created on first use.
  const ::onnx::TensorProto *initializer = nullptr;
};

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, const OnnxModel &model,
                const ImportOptions &options);

  mlir::OwningOpRef<mlir::ModuleOp> run();

  // Used by NodeContext.
  mlir::OpBuilder &getBuilder() { return builder; }
  int64_t getOpset() const { return model.opsetVersion(); }
  const OnnxModel &getModel() const { return model; }
  TensorEntry *lookup(llvm::StringRef name);
  /// The SSA value for `name`, creating a constant op for known contents or
  /// weights on first use; null (after an error at `loc`) on failure.
  mlir::Value materialize(llvm::StringRef name, mlir::Location loc);
  bool isUsed(llvm::StringRef name) const { return usedNames.contains(name); }
  void define(llvm::StringRef name, TensorEntry entry);
  /// A constant op for an ONNX tensor (weights become dense_resource).
  /// `name` names the resource blob (defaults to the tensor's name).
  mlir::Value createTensorConstant(const ::onnx::TensorProto &tensor,
                                   mlir::Location loc,
                                   llvm::StringRef name = {});

private:
  mlir::LogicalResult checkOpset();
  mlir::LogicalResult checkSupportedOps();
  mlir::LogicalResult collectInitializers();
  mlir::LogicalResult orderNodes(llvm::SmallVectorImpl<int> &order);
  mlir::LogicalResult
  addGraphInputs(mlir::Block *body, llvm::SmallVectorImpl<mlir::Type> &types,
                 llvm::SmallVectorImpl<mlir::Attribute> &attrs);
  mlir::LogicalResult importNode(int index);
  mlir::Location getNodeLoc(int index) const;
  std::string getNodeName(int index) const;

  mlir::MLIRContext &context;
  const OnnxModel &model;
  const ImportOptions &options;
  const ::onnx::GraphProto &graph;
  mlir::OpBuilder builder;
  mlir::Location fileLoc;
  llvm::StringMap<TensorEntry> tensors;
  llvm::StringSet<> usedNames;
};

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_GRAPHIMPORTER_H
