//===- GraphImporter.cpp - Walks an ONNX graph, builds kiln IR ------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/GraphImporter.h"
#include "compiler/frontends/onnx/InputShapes.h"
#include "compiler/frontends/onnx/NodeContext.h"
#include "compiler/frontends/onnx/OnnxImporter.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"

#include <queue>

using namespace mlir;
using namespace mlir::kiln::onnx;

GraphImporter::GraphImporter(MLIRContext &context, const OnnxModel &model,
                             const ImportOptions &options)
    : context(context), model(model), options(options),
      graph(model.proto().graph()), builder(&context),
      fileLoc(FileLineColLoc::get(&context, model.path(), 0, 0)) {}

std::string GraphImporter::getNodeName(int index) const {
  const std::string &name = graph.node(index).name();
  return name.empty() ? "#" + std::to_string(index) : name;
}

Location GraphImporter::getNodeLoc(int index) const {
  auto nameLoc =
      NameLoc::get(StringAttr::get(&context, getNodeName(index)), fileLoc);
  return FusedLoc::get(&context, {nameLoc},
                       StringAttr::get(&context, graph.node(index).op_type()));
}

TensorEntry *GraphImporter::lookup(StringRef name) {
  auto it = tensors.find(name);
  return it == tensors.end() ? nullptr : &it->second;
}

void GraphImporter::define(StringRef name, TensorEntry entry) {
  tensors[name] = std::move(entry);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// A resource blob name MLIR can print unquoted.
static std::string blobName(StringRef name) {
  std::string result = name.empty() ? "tensor" : name.str();
  for (char &c : result)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  if (llvm::isDigit(result.front()))
    result.insert(0, "t");
  return result;
}

Value GraphImporter::createTensorConstant(const ::onnx::TensorProto &tensor,
                                          Location loc, StringRef name) {
  Type elementType = getElementType(&context, tensor.data_type());
  if (!elementType) {
    emitError(loc) << kUnsupportedPrefix << " data type "
                   << getDataTypeName(tensor.data_type()) << " of tensor '"
                   << tensor.name() << "'";
    return {};
  }
  auto data = readTensorData(tensor, model);
  if (!data) {
    emitError(loc) << "invalid tensor data: "
                   << llvm::toString(data.takeError());
    return {};
  }
  llvm::SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  auto type = RankedTensorType::get(dims, elementType);
  ElementsAttr value;
  if (elementType.isInteger(1)) {
    // Resource blobs store i1 packed; bool weights are rare and small.
    llvm::SmallVector<bool> bits(data->begin(), data->end());
    value = DenseElementsAttr::get(type, bits);
  } else {
    value = DenseResourceElementsAttr::get(
        type, blobName(name.empty() ? StringRef(tensor.name()) : name),
        HeapAsmResourceBlob::allocateAndCopyWithAlign(*data, alignof(double)));
  }
  return builder.create<kiln::ConstantOp>(loc, type, value);
}

Value GraphImporter::materialize(StringRef name, Location loc) {
  TensorEntry *entry = lookup(name);
  if (!entry) {
    emitError(loc) << "uses undefined tensor '" << name << "'";
    return {};
  }
  if (entry->value)
    return entry->value;
  if (entry->initializer) {
    auto constLoc = NameLoc::get(StringAttr::get(&context, name), fileLoc);
    entry->value = createTensorConstant(*entry->initializer, constLoc);
  } else if (entry->host) {
    entry->value = builder.create<kiln::ConstantOp>(
        NameLoc::get(StringAttr::get(&context, name), fileLoc),
        entry->host->getType(), entry->host->toAttr());
  }
  return entry->value;
}

//===----------------------------------------------------------------------===//
// Graph checks
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::checkOpset() {
  int64_t opset = model.opsetVersion();
  if (opset == 0)
    return emitError(fileLoc) << "the model imports no ai.onnx opset";
  if (opset < kMinOpset)
    return emitError(fileLoc)
           << "opset " << opset << " is older than the oldest Kiln supports ("
           << kMinOpset << "); convert the model with "
           << "onnx.version_converter";
  if (opset > kMaxOpset)
    emitWarning(fileLoc) << "opset " << opset
                         << " is newer than the newest Kiln knows ("
                         << kMaxOpset << "); importing with opset " << kMaxOpset
                         << " semantics";
  return success();
}

LogicalResult GraphImporter::checkSupportedOps() {
  const ImportRuleMap &rules = getImportRules();
  // Op type -> the names of the nodes using it, in first-seen order.
  std::vector<std::pair<std::string, SmallVector<std::string>>> unsupported;
  llvm::StringMap<size_t> slotOf;
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto &node = graph.node(i);
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (defaultDomain && rules.count(node.op_type()))
      continue;
    std::string type =
        defaultDomain ? node.op_type() : node.domain() + "." + node.op_type();
    auto [it, inserted] = slotOf.try_emplace(type, unsupported.size());
    if (inserted)
      unsupported.push_back({type, {}});
    unsupported[it->second].second.push_back(getNodeName(i));
  }
  if (unsupported.empty())
    return success();
  auto diag = emitError(fileLoc) << kUnsupportedPrefix << " operators: ";
  bool first = true;
  for (auto &[type, nodes] : unsupported) {
    diag << (first ? "" : ", ") << type << " (nodes: ";
    first = false;
    constexpr size_t kMaxNames = 5;
    for (size_t i = 0; i < nodes.size() && i < kMaxNames; ++i)
      diag << (i ? ", " : "") << nodes[i];
    if (nodes.size() > kMaxNames)
      diag << " and " << nodes.size() - kMaxNames << " more";
    diag << ")";
  }
  return failure();
}

LogicalResult GraphImporter::collectInitializers() {
  for (const auto &tensor : graph.initializer()) {
    if (tensor.name().empty())
      return emitError(fileLoc) << "an initializer has no name";
    if (tensors.count(tensor.name()))
      return emitError(fileLoc)
             << "initializer '" << tensor.name() << "' is defined twice";
    if (!getElementType(&context, tensor.data_type()))
      return emitError(fileLoc) << kUnsupportedPrefix << " data type "
                                << getDataTypeName(tensor.data_type())
                                << " of initializer '" << tensor.name() << "'";
    llvm::SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
    if (auto count = checkedElementCount(dims); !count)
      return emitError(fileLoc) << "initializer '" << tensor.name()
                                << "': " << llvm::toString(count.takeError());
    TensorEntry entry;
    entry.initializer = &tensor;
    tensors[tensor.name()] = std::move(entry);
  }
  return success();
}

LogicalResult GraphImporter::orderNodes(SmallVectorImpl<int> &order) {
  llvm::StringMap<int> producer;
  for (int i = 0; i < graph.node_size(); ++i) {
    for (const std::string &output : graph.node(i).output()) {
      if (output.empty())
        continue;
      if (tensors.count(output) || !producer.try_emplace(output, i).second)
        return emitError(getNodeLoc(i))
               << "redefines tensor '" << output
               << "' (ONNX graphs assign each name once)";
    }
  }
  // Kahn's algorithm; the heap keeps the file's order where it is valid.
  std::vector<llvm::SmallVector<int>> users(graph.node_size());
  std::vector<int> pending(graph.node_size(), 0);
  for (int i = 0; i < graph.node_size(); ++i) {
    for (const std::string &input : graph.node(i).input()) {
      if (input.empty())
        continue;
      usedNames.insert(input);
      if (auto it = producer.find(input); it != producer.end()) {
        users[it->second].push_back(i);
        ++pending[i];
      } else if (!tensors.count(input)) {
        return emitError(getNodeLoc(i))
               << "uses undefined tensor '" << input << "'";
      }
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < graph.node_size(); ++i)
    if (pending[i] == 0)
      ready.push(i);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int user : users[i])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (static_cast<int>(order.size()) == graph.node_size())
    return success();
  auto diag = emitError(fileLoc) << "the graph has a cycle; nodes on or "
                                    "after it: ";
  int shown = 0;
  for (int i = 0; i < graph.node_size() && shown < 5; ++i)
    if (pending[i] > 0)
      diag << (shown++ ? ", " : "") << "'" << getNodeName(i) << "'";
  return failure();
}

//===----------------------------------------------------------------------===//
// Import
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importNode(int index) {
  const auto &node = graph.node(index);
  auto rule = getImportRules().lookup(node.op_type());
  NodeContext ctx(*this, node, getNodeLoc(index));
  rule(ctx);
  if (ctx.hasFailed())
    return failure();
  for (int i = 0; i < node.output_size(); ++i) {
    const std::string &name = node.output(i);
    if (name.empty() || !usedNames.contains(name) || tensors.count(name))
      continue;
    return ctx.emitError() << "internal error: the import rule did not "
                              "produce output '"
                           << name << "'";
  }
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  if (failed(checkSupportedOps()) || failed(checkOpset()) ||
      failed(collectInitializers()))
    return nullptr;
  for (const auto &input : graph.input())
    if (!input.name().empty() && !tensors.count(input.name()))
      tensors[input.name()] = TensorEntry();
  SmallVector<int> order;
  if (failed(orderNodes(order)))
    return nullptr;
  for (const auto &output : graph.output())
    usedNames.insert(output.name());

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(fileLoc, "main",
                                           builder.getFunctionType({}, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);

  SmallVector<Type> argTypes;
  SmallVector<Attribute> argAttrs;
  if (failed(addGraphInputs(body, argTypes, argAttrs)))
    return nullptr;

  for (int index : order)
    if (failed(importNode(index)))
      return nullptr;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  SmallVector<Attribute> resultAttrs;
  for (const auto &output : graph.output()) {
    auto outLoc = NameLoc::get(builder.getStringAttr(output.name()), fileLoc);
    Value value = materialize(output.name(), outLoc);
    if (!value)
      return nullptr;
    auto type = cast<RankedTensorType>(value.getType());
    if (output.has_type() && output.type().has_tensor_type()) {
      int32_t declared = output.type().tensor_type().elem_type();
      Type declaredType = getElementType(&context, declared);
      if (declaredType && declaredType != type.getElementType()) {
        emitError(outLoc) << "graph output is declared "
                          << getDataTypeName(declared) << " but computes "
                          << type.getElementType();
        return nullptr;
      }
    }
    results.push_back(value);
    resultTypes.push_back(type);
    resultAttrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
        "kiln.name", builder.getStringAttr(output.name()))));
  }
  builder.create<func::ReturnOp>(fileLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  func.setAllArgAttrs(argAttrs);
  func.setAllResultAttrs(resultAttrs);
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

/// Arguments: graph inputs without an initializer, with shapes pinned by
/// the import options.
LogicalResult GraphImporter::addGraphInputs(Block *body,
                                            SmallVectorImpl<Type> &types,
                                            SmallVectorImpl<Attribute> &attrs) {
  SmallVector<const ::onnx::ValueInfoProto *> inputs;
  for (const auto &input : graph.input()) {
    TensorEntry *entry = lookup(input.name());
    if (entry && !entry->initializer)
      inputs.push_back(&input);
  }
  InputShapeResolver resolver(options);
  if (llvm::Error error = resolver.checkOptionNames(inputs))
    return emitError(fileLoc) << llvm::toString(std::move(error));
  for (const ::onnx::ValueInfoProto *input : inputs) {
    auto bound = options.boundInputs.find(input->name());
    if (bound != options.boundInputs.end()) {
      auto value = resolver.bind(&context, *input, bound->second);
      if (!value)
        return emitError(fileLoc)
               << "graph input: " << llvm::toString(value.takeError());
      lookup(input->name())->host = std::move(*value);
      continue;
    }
    auto type = resolver.resolve(&context, *input);
    if (!type)
      return emitError(fileLoc)
             << "graph input: " << llvm::toString(type.takeError());
    auto argLoc = NameLoc::get(builder.getStringAttr(input->name()), fileLoc);
    lookup(input->name())->value = body->addArgument(*type, argLoc);
    types.push_back(*type);
    attrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
        "kiln.name", builder.getStringAttr(input->name()))));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp>
kiln::onnx::importOnnxModel(MLIRContext &context, const OnnxModel &model,
                            const ImportOptions &options) {
  context.loadDialect<kiln::KilnDialect, func::FuncDialect>();
  return GraphImporter(context, model, options).run();
}

OwningOpRef<ModuleOp> kiln::onnx::importOnnxFile(MLIRContext &context,
                                                 StringRef path,
                                                 const ImportOptions &options) {
  auto model = OnnxModel::load(path);
  if (!model) {
    emitError(FileLineColLoc::get(&context, path, 0, 0))
        << llvm::toString(model.takeError());
    return nullptr;
  }
  return importOnnxModel(context, **model, options);
}
