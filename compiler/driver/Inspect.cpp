//===- Inspect.cpp - Summaries of ONNX models -----------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Inspect.h"
#include "compiler/frontends/onnx/OnnxModel.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <vector>

using namespace mlir;
using namespace mlir::kiln;

/// `float32 [1, 3, 224, 224]` with symbolic dimensions by name.
static std::string describeType(const ::onnx::ValueInfoProto &info) {
  if (!info.has_type() || !info.type().has_tensor_type())
    return "(not a tensor)";
  const auto &tensor = info.type().tensor_type();
  std::string result = kiln::onnx::getDataTypeName(tensor.elem_type()).str();
  if (!tensor.has_shape())
    return result + " [unknown rank]";
  result += " [";
  for (int i = 0; i < tensor.shape().dim_size(); ++i) {
    const auto &dim = tensor.shape().dim(i);
    result += i ? ", " : "";
    if (dim.has_dim_value())
      result += std::to_string(dim.dim_value());
    else if (dim.has_dim_param())
      result += dim.dim_param();
    else
      result += "?";
  }
  return result + "]";
}

void kiln::printModelSummary(const kiln::onnx::OnnxModel &model,
                             llvm::raw_ostream &os) {
  const ::onnx::ModelProto &proto = model.proto();
  const ::onnx::GraphProto &graph = proto.graph();
  os << "model:        " << model.path() << "\n";
  os << "graph:        " << (graph.name().empty() ? "(unnamed)" : graph.name())
     << "\n";
  os << "ir_version:   " << proto.ir_version() << "\n";
  os << "producer:     "
     << (proto.producer_name().empty() ? "(unknown)" : proto.producer_name())
     << (proto.producer_version().empty() ? "" : " ")
     << proto.producer_version() << "\n";
  os << "opsets:      ";
  for (const auto &opset : proto.opset_import())
    os << " " << (opset.domain().empty() ? "ai.onnx" : opset.domain()) << " "
       << opset.version() << ";";
  os << "\n";

  llvm::StringMap<bool> isInitializer;
  int64_t parameters = 0;
  for (const auto &tensor : graph.initializer()) {
    isInitializer[tensor.name()] = true;
    int64_t count = 1;
    for (int64_t d : tensor.dims())
      count = (d >= 0 && (d == 0 || count <= INT64_MAX / d)) ? count * d : 0;
    parameters += count;
  }
  os << "inputs:\n";
  for (const auto &input : graph.input())
    if (!isInitializer.count(input.name()))
      os << "  " << input.name() << ": " << describeType(input) << "\n";
  os << "outputs:\n";
  for (const auto &output : graph.output())
    os << "  " << output.name() << ": " << describeType(output) << "\n";
  os << "initializers: " << graph.initializer_size() << " (" << parameters
     << " elements)\n";

  llvm::StringMap<unsigned> histogram;
  for (const auto &node : graph.node()) {
    std::string type = node.domain().empty() || node.domain() == "ai.onnx"
                           ? node.op_type()
                           : node.domain() + "." + node.op_type();
    ++histogram[type];
  }
  std::vector<std::pair<std::string, unsigned>> rows;
  for (const auto &entry : histogram)
    rows.push_back({entry.getKey().str(), entry.getValue()});
  // Most used first; ties alphabetically so the output is stable.
  std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  os << "operators:    " << graph.node_size() << " nodes, " << rows.size()
     << " types\n";
  for (const auto &[type, count] : rows)
    os << "  " << llvm::left_justify(type, 24) << count << "\n";
}
