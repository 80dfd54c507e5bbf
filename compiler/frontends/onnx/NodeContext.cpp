//===- NodeContext.cpp - What an ONNX import rule sees --------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"
#include "compiler/frontends/onnx/GraphImporter.h"
#include "compiler/frontends/onnx/OnnxImporter.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::kiln::onnx;
using AttrType = ::onnx::AttributeProto;

NodeContext::NodeContext(GraphImporter &importer, const ::onnx::NodeProto &node,
                         Location loc)
    : importer(importer), node(node), loc(loc) {}

StringRef NodeContext::getOpType() const { return node.op_type(); }
int64_t NodeContext::getOpset() const {
  return std::min(importer.getOpset(), kMaxOpset);
}
OpBuilder &NodeContext::getBuilder() { return importer.getBuilder(); }

InFlightDiagnostic NodeContext::emitError() {
  failed = true;
  return mlir::emitError(loc);
}

InFlightDiagnostic NodeContext::emitUnsupported() {
  failed = true;
  return mlir::emitError(loc)
         << kUnsupportedPrefix << " operator configuration: ";
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

unsigned NodeContext::getNumInputs() const {
  int n = node.input_size();
  while (n > 0 && node.input(n - 1).empty())
    --n;
  return n;
}

bool NodeContext::hasInput(unsigned i) const {
  return static_cast<int>(i) < node.input_size() && !node.input(i).empty();
}

bool NodeContext::checkNumInputs(unsigned min, unsigned max) {
  unsigned n = getNumInputs();
  if (n >= min && n <= max)
    return true;
  auto diag = emitError() << "expects ";
  if (min == max)
    diag << min;
  else
    diag << min << " to " << max;
  diag << " inputs, got " << n;
  return false;
}

Value NodeContext::getInput(unsigned i) {
  if (!hasInput(i)) {
    if (!failed)
      emitError() << "input " << i << " is missing";
    return {};
  }
  Value value = importer.materialize(node.input(i), loc);
  if (!value)
    failed = true;
  return value;
}

RankedTensorType NodeContext::getInputType(unsigned i) {
  Value value = getInput(i);
  return value ? cast<RankedTensorType>(value.getType()) : nullptr;
}

const HostTensor *NodeContext::getConstantInput(unsigned i) {
  if (!hasInput(i))
    return nullptr;
  TensorEntry *entry = importer.lookup(node.input(i));
  if (!entry)
    return nullptr;
  if (!entry->host && entry->initializer) {
    // Small weights are decoded once so shape arithmetic can use them.
    const ::onnx::TensorProto &tensor = *entry->initializer;
    Type elementType = getElementType(getContext(), tensor.data_type());
    llvm::SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
    auto count = checkedElementCount(dims);
    if (!elementType || !count || *count > kMaxHostElements) {
      if (!count)
        llvm::consumeError(count.takeError());
      return nullptr;
    }
    auto data = readTensorData(tensor, importer.getModel());
    if (!data) {
      emitError() << "tensor '" << tensor.name()
                  << "': " << llvm::toString(data.takeError());
      return nullptr;
    }
    entry->host =
        HostTensor::fromBytes(RankedTensorType::get(dims, elementType), *data);
  }
  return entry->host ? &*entry->host : nullptr;
}

std::optional<std::vector<int64_t>>
NodeContext::requireConstantInts(unsigned i, StringRef what) {
  const HostTensor *tensor = getConstantInput(i);
  if (failed)
    return std::nullopt;
  if (!tensor || tensor->isFloat()) {
    emitUnsupported() << what
                      << " must be an integer tensor known at compile time";
    return std::nullopt;
  }
  return tensor->toInts();
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

static StringRef attrTypeName(int type) {
  switch (type) {
  case AttrType::FLOAT:
    return "a float";
  case AttrType::INT:
    return "an int";
  case AttrType::STRING:
    return "a string";
  case AttrType::TENSOR:
    return "a tensor";
  case AttrType::FLOATS:
    return "a list of floats";
  case AttrType::INTS:
    return "a list of ints";
  case AttrType::GRAPH:
    return "a graph";
  default:
    return "another kind";
  }
}

const AttrType *NodeContext::findAttr(StringRef name, int expectedType) {
  for (const auto &attr : node.attribute()) {
    if (attr.name() != name)
      continue;
    // Old exporters leave `type` unset; infer it from the populated field.
    int type = attr.type();
    if (type == AttrType::UNDEFINED) {
      if (attr.has_f())
        type = AttrType::FLOAT;
      else if (attr.has_i())
        type = AttrType::INT;
      else if (attr.has_s())
        type = AttrType::STRING;
      else if (attr.has_t())
        type = AttrType::TENSOR;
      else if (attr.floats_size())
        type = AttrType::FLOATS;
      else if (attr.ints_size())
        type = AttrType::INTS;
      else if (attr.has_g())
        type = AttrType::GRAPH;
    }
    if (type != expectedType) {
      emitError() << "attribute '" << name << "' must be "
                  << attrTypeName(expectedType) << ", not "
                  << attrTypeName(type);
      return nullptr;
    }
    return &attr;
  }
  return nullptr;
}

bool NodeContext::hasAttr(StringRef name) const {
  return llvm::any_of(node.attribute(),
                      [&](const auto &attr) { return attr.name() == name; });
}

int64_t NodeContext::getInt(StringRef name, int64_t defaultValue) {
  const AttrType *attr = findAttr(name, AttrType::INT);
  return attr ? attr->i() : defaultValue;
}

float NodeContext::getFloat(StringRef name, float defaultValue) {
  const AttrType *attr = findAttr(name, AttrType::FLOAT);
  return attr ? attr->f() : defaultValue;
}

std::string NodeContext::getString(StringRef name, StringRef defaultValue) {
  const AttrType *attr = findAttr(name, AttrType::STRING);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<std::vector<int64_t>> NodeContext::getInts(StringRef name) {
  if (!hasAttr(name))
    return std::nullopt;
  const AttrType *attr = findAttr(name, AttrType::INTS);
  if (!attr)
    return std::nullopt;
  return std::vector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<std::vector<float>> NodeContext::getFloats(StringRef name) {
  if (!hasAttr(name))
    return std::nullopt;
  const AttrType *attr = findAttr(name, AttrType::FLOATS);
  if (!attr)
    return std::nullopt;
  return std::vector<float>(attr->floats().begin(), attr->floats().end());
}

const ::onnx::TensorProto *NodeContext::getTensor(StringRef name) {
  const AttrType *attr = findAttr(name, AttrType::TENSOR);
  return attr ? &attr->t() : nullptr;
}

const ::onnx::GraphProto *NodeContext::getGraphAttr(StringRef name) {
  const AttrType *attr = findAttr(name, AttrType::GRAPH);
  return attr ? &attr->g() : nullptr;
}

void NodeContext::rejectAttr(StringRef name, StringRef why) {
  if (hasAttr(name) && !failed)
    emitUnsupported() << "attribute '" << name << "' " << why;
}

//===----------------------------------------------------------------------===//
// Outputs
//===----------------------------------------------------------------------===//

unsigned NodeContext::getNumOutputs() const { return node.output_size(); }

bool NodeContext::isOutputUsed(unsigned i) const {
  return static_cast<int>(i) < node.output_size() && !node.output(i).empty() &&
         importer.isUsed(node.output(i));
}

void NodeContext::setOutput(unsigned i, Value value) {
  if (failed || !value || static_cast<int>(i) >= node.output_size() ||
      node.output(i).empty())
    return;
  TensorEntry entry;
  entry.value = value;
  importer.define(node.output(i), std::move(entry));
}

void NodeContext::forwardInput(unsigned input, unsigned output) {
  // Materialize first so both names share one constant op (and one blob).
  Value value = getInput(input);
  const HostTensor *known = getConstantInput(input);
  if (failed || !value || static_cast<int>(output) >= node.output_size() ||
      node.output(output).empty())
    return;
  TensorEntry entry;
  entry.value = value;
  if (known)
    entry.host = *known;
  importer.define(node.output(output), std::move(entry));
}

void NodeContext::setOutput(unsigned i, HostTensor value) {
  if (failed || static_cast<int>(i) >= node.output_size() ||
      node.output(i).empty())
    return;
  TensorEntry entry;
  entry.host = std::move(value);
  importer.define(node.output(i), std::move(entry));
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::optional<int64_t> NodeContext::normalizeAxis(int64_t axis, int64_t rank,
                                                  StringRef what) {
  int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank) {
    emitError() << what << " " << axis << " is out of range for rank " << rank;
    return std::nullopt;
  }
  return normalized;
}

/// LLVM cannot compute in 8-bit floats (they lower to i8): only ops that
/// convert or move elements may take them; arithmetic on them would fail
/// deep in the lowering instead of at the node.
static bool acceptsFloat8(Operation *op) {
  return isa<kiln::CastOp, kiln::ConstantOp, kiln::ReshapeOp, kiln::TransposeOp,
             kiln::ConcatOp, kiln::SliceOp, kiln::GatherOp, kiln::BroadcastToOp,
             kiln::GatherElementsOp, kiln::GatherNDOp, kiln::SelectOp>(op);
}

/// The first 8-bit float element type among `op`'s operands and results.
static Type findFloat8(Operation *op) {
  for (TypeRange types :
       {TypeRange(op->getOperandTypes()), TypeRange(op->getResultTypes())})
    for (Type type : types)
      if (auto tensor = dyn_cast<RankedTensorType>(type);
          tensor && kiln::isOnnxFloat8(tensor.getElementType()))
        return tensor.getElementType();
  return {};
}

Value NodeContext::finishOp(OperationState &state) {
  Operation *op = getBuilder().create(state);
  if (Type float8 = findFloat8(op); float8 && !acceptsFloat8(op)) {
    emitUnsupported() << op->getName() << " on " << float8
                      << " (Kiln computes on 8-bit floats only through "
                         "Cast, QuantizeLinear and DequantizeLinear)";
    op->erase();
    return {};
  }
  if (mlir::failed(mlir::verify(op))) {
    op->erase();
    failed = true;
    return {};
  }
  return op->getResult(0);
}

Value NodeContext::createConstant(const HostTensor &value) {
  if (failed)
    return {};
  return getBuilder().create<kiln::ConstantOp>(loc, value.getType(),
                                               value.toAttr());
}

std::optional<HostTensor>
NodeContext::decodeTensor(const ::onnx::TensorProto &tensor) {
  Type elementType = getElementType(getContext(), tensor.data_type());
  if (!elementType) {
    emitUnsupported() << "tensor of data type "
                      << getDataTypeName(tensor.data_type());
    return std::nullopt;
  }
  auto data = readTensorData(tensor, importer.getModel());
  if (!data) {
    emitError() << "tensor '" << tensor.name()
                << "': " << llvm::toString(data.takeError());
    return std::nullopt;
  }
  llvm::SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  auto value =
      HostTensor::fromBytes(RankedTensorType::get(dims, elementType), *data);
  if (!value)
    emitError() << "tensor '" << tensor.name() << "' is too large to decode";
  return value;
}

Value NodeContext::createTensorConstant(const ::onnx::TensorProto &tensor) {
  if (failed)
    return {};
  StringRef name = tensor.name().empty() && node.output_size() > 0
                       ? StringRef(node.output(0))
                       : StringRef(tensor.name());
  Value value = importer.createTensorConstant(tensor, loc, name);
  if (!value)
    failed = true;
  return value;
}

Value NodeContext::createScalar(double value, Type elementType) {
  HostTensor scalar(elementType, {});
  scalar.setFromDouble(0, value);
  return createConstant(scalar);
}

Value NodeContext::createReshape(Value value, ArrayRef<int64_t> shape) {
  if (!value)
    return {};
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return createWithType<kiln::ReshapeOp>(
      RankedTensorType::get(shape, type.getElementType()), value);
}
