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
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"

#include <queue>

using namespace mlir;
using namespace mlir::kiln::onnx;

GraphImporter::GraphImporter(MLIRContext &context, const OnnxModel &model,
                             const ImportOptions &options)
    : context(context), model(model), options(options), builder(&context),
      fileLoc(FileLineColLoc::get(&context, model.path(), 0, 0)) {
  scopes.push_back(std::make_unique<GraphScope>());
  scope().graph = &model.proto().graph();
}

GraphImporter::~GraphImporter() = default;

/// A node's name, or its position in its graph when it has none.
static std::string getRawNodeName(const ::onnx::NodeProto &node, int index) {
  return node.name().empty() ? "#" + std::to_string(index) : node.name();
}

/// Where subgraph `attr` of node `owner` sits, e.g. "in the body of Loop
/// 'loop0' in the then_branch of If 'if0'".
static std::string describeSubgraph(StringRef attr, StringRef opType,
                                    StringRef owner, StringRef ownerWhere) {
  std::string where =
      ("in the " + attr + " of " + opType + " '" + owner + "'").str();
  if (!ownerWhere.empty())
    where += " " + ownerWhere.str();
  return where;
}

/// Calls `fn(attrName, graph)` for each graph a node's attributes hold.
template <typename Fn>
static void forEachSubgraph(const ::onnx::NodeProto &node, Fn fn) {
  for (const auto &attr : node.attribute()) {
    if (attr.has_g())
      fn(attr.name(), attr.g());
    for (const auto &graph : attr.graphs())
      fn(attr.name(), graph);
  }
}

/// Adds to `free` the names `graph` reads, in its nodes or in subgraphs
/// nested in them, without defining them: its outer-scope references.
static void collectFreeNames(const ::onnx::GraphProto &graph,
                             llvm::StringSet<> &free) {
  llvm::StringSet<> defined;
  for (const auto &input : graph.input())
    defined.insert(input.name());
  for (const auto &tensor : graph.initializer())
    defined.insert(tensor.name());
  for (const auto &node : graph.node())
    for (const std::string &output : node.output())
      defined.insert(output);
  auto visit = [&](StringRef name) {
    if (!name.empty() && !defined.contains(name))
      free.insert(name);
  };
  for (const auto &node : graph.node()) {
    for (const std::string &input : node.input())
      visit(input);
    forEachSubgraph(node, [&](StringRef, const ::onnx::GraphProto &sub) {
      llvm::StringSet<> inner;
      collectFreeNames(sub, inner);
      for (const auto &name : inner.keys())
        visit(name);
    });
  }
  for (const auto &output : graph.output())
    visit(output.name());
}

std::string GraphImporter::getNodeName(int index) const {
  std::string name = getRawNodeName(graph().node(index), index);
  StringRef where = scope().where;
  if (where.empty())
    return name;
  // Messages quote node names ("node 'x' (Add)"); the closing quote of
  // `where` is left to them: "node 'x' in the body of Loop 'loop0' (Add)".
  return name + "' " + where.drop_back().str();
}

Location GraphImporter::getNodeLoc(int index) const {
  auto nameLoc =
      NameLoc::get(StringAttr::get(&context, getNodeName(index)), fileLoc);
  return FusedLoc::get(
      &context, {nameLoc},
      StringAttr::get(&context, graph().node(index).op_type()));
}

TensorEntry *GraphImporter::lookup(StringRef name) {
  for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
    auto found = (*it)->tensors.find(name);
    if (found != (*it)->tensors.end())
      return &found->second;
  }
  return nullptr;
}

bool GraphImporter::isUsed(StringRef name) const {
  return scope().usedNames.contains(name);
}

void GraphImporter::define(StringRef name, TensorEntry entry) {
  scope().tensors[name] = std::move(entry);
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

namespace {
/// Op types without an import rule -> the nodes using them, in first-seen
/// order.
struct UnsupportedOps {
  std::vector<std::pair<std::string, SmallVector<std::string>>> types;
  llvm::StringMap<size_t> slotOf;

  void add(const std::string &type, std::string node) {
    auto [it, inserted] = slotOf.try_emplace(type, types.size());
    if (inserted)
      types.push_back({type, {}});
    types[it->second].second.push_back(std::move(node));
  }
};
} // namespace

/// Collects the unsupported nodes of `graph` and of every subgraph in it,
/// whether or not import would reach them.
static void collectUnsupported(const ::onnx::GraphProto &graph, StringRef where,
                               const ImportRuleMap &rules,
                               UnsupportedOps &unsupported) {
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto &node = graph.node(i);
    std::string name = getRawNodeName(node, i);
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (!defaultDomain || !rules.count(node.op_type()))
      unsupported.add(defaultDomain ? node.op_type()
                                    : node.domain() + "." + node.op_type(),
                      where.empty() ? name : name + " " + where.str());
    forEachSubgraph(node, [&](StringRef attr, const ::onnx::GraphProto &sub) {
      collectUnsupported(sub,
                         describeSubgraph(attr, node.op_type(), name, where),
                         rules, unsupported);
    });
  }
}

LogicalResult GraphImporter::checkSupportedOps() {
  UnsupportedOps collected;
  collectUnsupported(graph(), scope().where, getImportRules(), collected);
  auto &unsupported = collected.types;
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
  auto &tensors = scope().tensors;
  for (const auto &tensor : graph().initializer()) {
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
  const ::onnx::GraphProto &graph = this->graph();
  GraphScope &scope = this->scope();
  llvm::StringMap<int> producer;
  for (int i = 0; i < graph.node_size(); ++i) {
    for (const std::string &output : graph.node(i).output()) {
      if (output.empty())
        continue;
      if (scope.tensors.count(output) ||
          !producer.try_emplace(output, i).second)
        return emitError(getNodeLoc(i))
               << "redefines tensor '" << output
               << "' (ONNX graphs assign each name once)";
    }
  }
  // Kahn's algorithm; the heap keeps the file's order where it is valid. A
  // node also depends on what its subgraphs read from this graph.
  std::vector<llvm::SmallVector<int>> users(graph.node_size());
  std::vector<int> pending(graph.node_size(), 0);
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto &node = graph.node(i);
    // Outer-scope names its subgraphs read -> the attribute holding them.
    llvm::StringMap<std::string> implicit;
    forEachSubgraph(node, [&](StringRef attr, const ::onnx::GraphProto &sub) {
      llvm::StringSet<> names;
      collectFreeNames(sub, names);
      for (const auto &name : names.keys())
        implicit.try_emplace(name, attr.str());
    });
    SmallVector<StringRef> reads(node.input().begin(), node.input().end());
    for (const auto &entry : implicit)
      reads.push_back(entry.getKey());
    for (StringRef input : reads) {
      if (input.empty())
        continue;
      scope.usedNames.insert(input);
      if (auto it = producer.find(input); it != producer.end()) {
        users[it->second].push_back(i);
        ++pending[i];
        continue;
      }
      if (lookup(input))
        continue;
      auto diag = emitError(getNodeLoc(i))
                  << "uses undefined tensor '" << input << "'";
      if (auto it = implicit.find(input);
          it != implicit.end() && !llvm::is_contained(node.input(), input))
        diag << " in its " << it->second;
      return failure();
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
  const auto &node = graph().node(index);
  // checkSupportedOps() saw this node, in its graph or a subgraph.
  auto rule = getImportRules().lookup(node.op_type());
  scope().activeNode = getRawNodeName(node, index);
  NodeContext ctx(*this, node, getNodeLoc(index));
  rule(ctx);
  if (ctx.hasFailed() || subgraphFailed)
    return failure();
  for (int i = 0; i < node.output_size(); ++i) {
    const std::string &name = node.output(i);
    if (name.empty() || !isUsed(name) || scope().tensors.count(name))
      continue;
    return ctx.emitError() << "internal error: the import rule did not "
                              "produce output '"
                           << name << "'";
  }
  return success();
}

/// Orders the nodes of the graph in scope and imports them.
LogicalResult GraphImporter::importNodes() {
  SmallVector<int> order;
  if (failed(orderNodes(order)))
    return failure();
  for (const auto &output : graph().output())
    scope().usedNames.insert(output.name());
  for (int index : order)
    if (failed(importNode(index)))
      return failure();
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  if (failed(checkSupportedOps()) || failed(checkOpset()) ||
      failed(collectInitializers()))
    return nullptr;
  for (const auto &input : graph().input())
    if (!input.name().empty() && !scope().tensors.count(input.name()))
      scope().tensors[input.name()] = TensorEntry();
  SmallVector<int> order;
  if (failed(orderNodes(order)))
    return nullptr;
  for (const auto &output : graph().output())
    scope().usedNames.insert(output.name());

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
  for (const auto &output : graph().output()) {
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
  for (const auto &input : graph().input()) {
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
// Subgraphs
//===----------------------------------------------------------------------===//

/// Subgraphs nested deeper than this are hostile, not real models.
static constexpr size_t kMaxSubgraphDepth = 64;
/// The most subgraph copies one model may import: unrolled loops nested in
/// loops multiply, and each copy is IR to compile.
static constexpr int64_t kMaxSubgraphCopies = 1 << 16;

std::optional<SmallVector<TensorEntry>>
GraphImporter::importSubgraph(NodeContext &ctx, StringRef attrName,
                              const ::onnx::GraphProto &body,
                              ArrayRef<TensorEntry> inputs) {
  auto outputs = importSubgraphImpl(ctx, attrName, body, inputs);
  // Errors inside the subgraph are reported at its nodes, not through
  // `ctx`; the flag makes the owning node fail all the same.
  if (!outputs)
    subgraphFailed = true;
  return outputs;
}

std::optional<SmallVector<TensorEntry>>
GraphImporter::importSubgraphImpl(NodeContext &ctx, StringRef attrName,
                                  const ::onnx::GraphProto &body,
                                  ArrayRef<TensorEntry> inputs) {
  if (body.input_size() != static_cast<int>(inputs.size())) {
    ctx.emitError() << "its " << attrName << " has " << body.input_size()
                    << " inputs, expected " << inputs.size();
    return std::nullopt;
  }
  if (++numSubgraphCopies > kMaxSubgraphCopies) {
    ctx.emitUnsupported() << "the model unrolls into more than "
                          << kMaxSubgraphCopies
                          << " copies of subgraphs (nested loops multiply)";
    return std::nullopt;
  }
  if (scopes.size() > kMaxSubgraphDepth) {
    ctx.emitUnsupported() << "subgraphs nested more than " << kMaxSubgraphDepth
                          << " deep";
    return std::nullopt;
  }
  auto child = std::make_unique<GraphScope>();
  child->graph = &body;
  child->where = describeSubgraph(attrName, ctx.getOpType(), scope().activeNode,
                                  scope().where);
  scopes.push_back(std::move(child));
  auto popScope = llvm::make_scope_exit([&] { scopes.pop_back(); });

  if (failed(collectInitializers()))
    return std::nullopt;
  for (auto [input, entry] : llvm::zip_equal(body.input(), inputs)) {
    if (input.name().empty()) {
      ctx.emitError() << "an input of its " << attrName << " has no name";
      return std::nullopt;
    }
    // Bound inputs replace initializers of the same name (default values).
    scope().tensors[input.name()] = entry;
    if (!input.has_type())
      continue; // Function bodies leave the types to inference.
    if (!input.type().has_tensor_type()) {
      ctx.emitUnsupported()
          << "input '" << input.name() << "' of its " << attrName
          << " is not a tensor (sequence, map and optional "
             "values are not supported)";
      return std::nullopt;
    }
    int32_t declared = input.type().tensor_type().elem_type();
    Type actual = entry.host ? entry.host->getElementType()
                             : getElementTypeOrSelf(entry.value.getType());
    Type declaredType = getElementType(&context, declared);
    if (declared != 0 && declaredType != actual) {
      ctx.emitError() << "input '" << input.name() << "' of its " << attrName
                      << " is declared " << getDataTypeName(declared)
                      << " but receives " << actual;
      return std::nullopt;
    }
  }
  if (failed(importNodes()))
    return std::nullopt;

  SmallVector<TensorEntry> outputs;
  for (const auto &output : body.output()) {
    TensorEntry *entry = lookup(output.name());
    if (!entry) {
      ctx.emitError() << "output '" << output.name() << "' of its " << attrName
                      << " is not defined";
      return std::nullopt;
    }
    // Weights (subgraph initializers) get their constant op now, while
    // their scope lives.
    if (!entry->value && !entry->host &&
        !materialize(output.name(), ctx.getLoc())) {
      ctx.emitError() << "cannot materialize output '" << output.name()
                      << "' of its " << attrName;
      return std::nullopt;
    }
    TensorEntry result = *entry;
    result.initializer = nullptr;
    outputs.push_back(std::move(result));
  }
  return outputs;
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
