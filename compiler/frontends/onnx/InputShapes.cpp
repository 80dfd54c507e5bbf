//===- InputShapes.cpp - Static shapes for symbolic graph inputs ----------===//
//
// Part of Kiln. Kiln generates code for static shapes only; models exported
// with symbolic batch or sequence dimensions get them pinned here, from
// `--input-shape NAME=D0xD1x...` or `--dim DIM_PARAM=N`.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/InputShapes.h"

#include "compiler/frontends/onnx/OnnxModel.h"
#include "dialects/kiln/IR/KilnShapes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include "third_party/onnx/onnx/onnx.pb.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Parses one dimension; `what` names it in errors.
static llvm::Expected<int64_t> parseDimension(llvm::StringRef text,
                                              const llvm::Twine &what) {
  int64_t value;
  if (text.trim().getAsInteger(10, value) || value < 0 || value > kMaxDimension)
    return makeError(what + ": '" + text +
                     "' is not a dimension (an integer in [0, 2^40])");
  return value;
}

/// Splits `NAME=VALUE` at the last '=' (ONNX names may contain '=').
static llvm::Expected<std::pair<llvm::StringRef, llvm::StringRef>>
splitAssignment(llvm::StringRef text, llvm::StringRef option,
                llvm::StringRef form) {
  size_t equals = text.rfind('=');
  if (equals == llvm::StringRef::npos || equals == 0)
    return makeError("--" + option + " '" + text + "' is not of the form " +
                     form);
  return std::make_pair(text.take_front(equals), text.drop_front(equals + 1));
}

llvm::Error mlir::kiln::onnx::parseInputShapeOption(llvm::StringRef text,
                                                    ImportOptions &options) {
  auto parts = splitAssignment(text, "input-shape", "NAME=D0xD1x...");
  if (!parts)
    return parts.takeError();
  auto [name, dims] = *parts;
  llvm::SmallVector<int64_t> shape;
  if (!dims.trim().empty()) {
    llvm::SmallVector<llvm::StringRef> pieces;
    dims.split(pieces, 'x');
    for (llvm::StringRef piece : pieces) {
      auto dim = parseDimension(piece, "--input-shape " + name);
      if (!dim)
        return dim.takeError();
      shape.push_back(*dim);
    }
  }
  if (!options.inputShapes.try_emplace(name, std::move(shape)).second)
    return makeError("--input-shape names input '" + name + "' twice");
  return llvm::Error::success();
}

llvm::Error mlir::kiln::onnx::parseDimOption(llvm::StringRef text,
                                             ImportOptions &options) {
  auto parts = splitAssignment(text, "dim", "DIM_PARAM=N");
  if (!parts)
    return parts.takeError();
  auto [name, value] = *parts;
  auto dim = parseDimension(value, "--dim " + name);
  if (!dim)
    return dim.takeError();
  if (!options.dimValues.try_emplace(name, *dim).second)
    return makeError("--dim names dimension '" + name + "' twice");
  return llvm::Error::success();
}

/// `dimension 0 ('batch')` or `dimension 0 (unnamed)`.
static std::string describeDimension(const ::onnx::TensorShapeProto *shape,
                                     int index) {
  std::string text = "dimension " + std::to_string(index);
  if (!shape || index >= shape->dim_size() || shape->dim(index).has_dim_value())
    return text;
  if (!shape->dim(index).dim_param().empty())
    return text + " ('" + shape->dim(index).dim_param() + "')";
  return text + " (unnamed)";
}

/// `--input-shape NAME=<batch>x3x224x224`: the static dimensions filled in.
static std::string getShapeTemplate(llvm::StringRef name,
                                    llvm::ArrayRef<int64_t> shape,
                                    const ::onnx::TensorShapeProto *declared) {
  std::string text = "--input-shape " + name.str() + "=";
  for (auto [index, dim] : llvm::enumerate(shape)) {
    if (index)
      text += "x";
    if (!ShapedType::isDynamic(dim)) {
      text += std::to_string(dim);
      continue;
    }
    std::string param = declared && index < size_t(declared->dim_size())
                            ? declared->dim(index).dim_param()
                            : "";
    text += "<" + (param.empty() ? "size" : param) + ">";
  }
  return text;
}

/// Code generation needs static shapes: names the first unknown dimension
/// and both ways to pin it.
static llvm::Error checkStatic(llvm::StringRef name,
                               llvm::ArrayRef<int64_t> shape,
                               const ::onnx::TensorShapeProto *declared) {
  for (auto [index, dim] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(dim))
      continue;
    std::string param = declared && index < size_t(declared->dim_size())
                            ? declared->dim(index).dim_param()
                            : "";
    std::string fix = "pin it with " +
                      (param.empty() ? "" : "--dim " + param + "=<size> or ") +
                      getShapeTemplate(name, shape, declared);
    return makeError("input '" + name + "' " +
                     describeDimension(declared, index) +
                     " is not known at compile time (Kiln compiles static "
                     "shapes); " +
                     fix);
  }
  return llvm::Error::success();
}

llvm::Expected<RankedTensorType>
InputShapeResolver::resolve(MLIRContext *context,
                            const ::onnx::ValueInfoProto &input) {
  const std::string &name = input.name();
  auto override = options.inputShapes.find(name);
  bool hasOverride = override != options.inputShapes.end();
  const ::onnx::TensorShapeProto *declaredShape = nullptr;
  if (input.has_type() && input.type().has_tensor_type() &&
      input.type().tensor_type().has_shape())
    declaredShape = &input.type().tensor_type().shape();

  // An input of unknown rank takes its whole shape from --input-shape.
  ::onnx::ValueInfoProto shaped;
  const ::onnx::ValueInfoProto *info = &input;
  if (hasOverride && !declaredShape && input.has_type() &&
      input.type().has_tensor_type()) {
    shaped = input;
    auto *shape = shaped.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (int64_t dim : override->second)
      shape->add_dim()->set_dim_value(dim);
    info = &shaped;
  }
  auto type = getValueInfoType(context, *info);
  if (!type) {
    if (!declaredShape)
      return llvm::joinErrors(type.takeError(),
                              makeError("give its shape with --input-shape " +
                                        name + "=D0xD1x..."));
    return type.takeError();
  }

  llvm::SmallVector<int64_t> shape(type->getShape());
  if (hasOverride) {
    const auto &pinned = override->second;
    if (pinned.size() != shape.size())
      return makeError(llvm::formatv(
          "--input-shape {0} gives {1} dimension(s), but the input has rank "
          "{2}",
          name, pinned.size(), shape.size()));
    for (auto [index, dim] : llvm::enumerate(shape)) {
      if (!ShapedType::isDynamic(dim) && dim != pinned[index])
        return makeError(llvm::formatv(
            "--input-shape {0}: {1} is {2} in the model, not {3}", name,
            describeDimension(declaredShape, index), dim, pinned[index]));
      dim = pinned[index];
    }
  }
  for (auto [index, dim] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(dim) || !declaredShape)
      continue;
    const std::string &param = declaredShape->dim(index).dim_param();
    auto value = options.dimValues.find(param);
    if (param.empty() || value == options.dimValues.end())
      continue;
    dim = value->second;
  }
  if (options.requireStaticInputShapes)
    if (llvm::Error error = checkStatic(name, shape, declaredShape))
      return std::move(error);
  return RankedTensorType::get(shape, type->getElementType());
}

llvm::Expected<HostTensor>
InputShapeResolver::bind(MLIRContext *context,
                         const ::onnx::ValueInfoProto &input,
                         const BoundInput &bound) {
  const std::string &name = input.name();
  Type elementType = getElementType(context, bound.dataType);
  if (!elementType)
    return makeError("--bind-input " + name + ": unsupported data type " +
                     getDataTypeName(bound.dataType).str());
  auto boundType = RankedTensorType::get(bound.shape, elementType);
  if (input.has_type() && input.type().has_tensor_type()) {
    const auto &declared = input.type().tensor_type();
    Type declaredElement = getElementType(context, declared.elem_type());
    if (declaredElement && declaredElement != elementType)
      return makeError("--bind-input " + name + ": the value is " +
                       getDataTypeName(bound.dataType).str() +
                       ", the input is " +
                       getDataTypeName(declared.elem_type()).str());
    if (declared.has_shape()) {
      const auto &dims = declared.shape().dim();
      bool fits = dims.size() == static_cast<int>(bound.shape.size());
      for (int i = 0; fits && i < dims.size(); ++i)
        fits =
            !dims[i].has_dim_value() || dims[i].dim_value() == bound.shape[i];
      if (!fits)
        return makeError(llvm::formatv(
            "--bind-input {0}: a value of shape [{1}] does not fit the "
            "input's declared shape",
            name, llvm::make_range(bound.shape.begin(), bound.shape.end())));
    }
  }
  auto count = kiln::numElements(bound.shape);
  if (!count ||
      *count * static_cast<int64_t>(getElementByteWidth(bound.dataType)) !=
          static_cast<int64_t>(bound.data.size()))
    return makeError("--bind-input " + name +
                     ": the data size does not match the shape");
  auto tensor = HostTensor::fromBytes(boundType, bound.data);
  if (!tensor)
    return makeError("--bind-input " + name +
                     ": the value is too large to bind (bind only small "
                     "operands such as shapes and axes)");
  return std::move(*tensor);
}

llvm::Error InputShapeResolver::checkOptionNames(
    llvm::ArrayRef<const ::onnx::ValueInfoProto *> inputs) const {
  llvm::SmallVector<std::string> names, symbolicDims;
  for (const ::onnx::ValueInfoProto *input : inputs) {
    names.push_back(input->name());
    if (!input->type().tensor_type().has_shape())
      continue;
    for (const auto &dim : input->type().tensor_type().shape().dim())
      if (!dim.dim_param().empty() &&
          !llvm::is_contained(symbolicDims, dim.dim_param()))
        symbolicDims.push_back(dim.dim_param());
  }
  for (const auto &entry : options.inputShapes)
    if (!llvm::is_contained(names, entry.getKey()))
      return makeError("--input-shape names '" + entry.getKey() +
                       "', which is not a graph input (inputs: " +
                       llvm::join(names, ", ") + ")");
  for (const auto &entry : options.boundInputs)
    if (!llvm::is_contained(names, entry.getKey()))
      return makeError("--bind-input names '" + entry.getKey() +
                       "', which is not a graph input (inputs: " +
                       llvm::join(names, ", ") + ")");
  for (const auto &entry : options.dimValues)
    if (!llvm::is_contained(symbolicDims, entry.getKey()))
      return makeError(
          "--dim names '" + entry.getKey() +
          "', which is no symbolic dimension of a graph input " +
          (symbolicDims.empty()
               ? std::string("(the inputs have none)")
               : "(they are: " + llvm::join(symbolicDims, ", ") + ")"));
  return llvm::Error::success();
}
