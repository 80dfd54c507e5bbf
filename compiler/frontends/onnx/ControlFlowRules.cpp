//===- ControlFlowRules.cpp - ONNX control flow (If, Loop, Scan) ----------===//
//
// Part of Kiln. Shapes are static, so control flow is specialized at import:
// an If whose condition is known imports only the taken branch (otherwise
// both, joined by kiln.select); Loop and Scan are unrolled, one inline copy
// of the body per iteration, with loop-carried values threaded through the
// copies and scan outputs stacked along a new axis. Bodies see the iteration
// number as a known constant, so the index arithmetic in them folds.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/GraphImporter.h"
#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::kiln::onnx;

/// The most body copies one Loop or Scan may unroll into.
static constexpr int64_t kMaxUnrolledBodies = 4096;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static RankedTensorType getEntryType(const TensorEntry &entry) {
  return entry.host ? entry.host->getType()
                    : cast<RankedTensorType>(entry.value.getType());
}

/// The SSA value of an entry, creating a constant for known contents.
static Value toValue(NodeContext &ctx, TensorEntry &entry) {
  if (!entry.value && entry.host)
    entry.value = ctx.createConstant(*entry.host);
  return entry.value;
}

/// Input `i` as a subgraph binding: its contents when known, else its value.
static TensorEntry getInputEntry(NodeContext &ctx, unsigned i) {
  TensorEntry entry;
  if (const HostTensor *known = ctx.getConstantInput(i))
    entry.host = *known;
  else
    entry.value = ctx.getInput(i);
  return entry;
}

/// Defines output `i` as `entry` (keeping both its value and its contents).
static void setOutputEntry(NodeContext &ctx, unsigned i, TensorEntry entry) {
  const auto &node = ctx.getNode();
  if (ctx.hasFailed() || static_cast<int>(i) >= node.output_size() ||
      node.output(i).empty())
    return;
  ctx.getImporter().define(node.output(i), std::move(entry));
}

/// A scalar known to the importer: an int64 iteration number or a bool.
static TensorEntry makeScalar(Type type, int64_t value) {
  HostTensor scalar(type, {});
  scalar.setFromInt(0, value);
  TensorEntry entry;
  entry.host = std::move(scalar);
  return entry;
}

/// `shape` with `size` inserted at `axis`.
static SmallVector<int64_t> insertDim(ArrayRef<int64_t> shape, int64_t axis,
                                      int64_t size) {
  SmallVector<int64_t> result(shape);
  result.insert(result.begin() + axis, size);
  return result;
}

/// Element `index` of `tensor` along `axis`, that axis removed.
static HostTensor takeHost(const HostTensor &tensor, int64_t axis,
                           int64_t index) {
  ArrayRef<int64_t> shape = tensor.getShape();
  SmallVector<int64_t> outShape(shape);
  outShape.erase(outShape.begin() + axis);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  HostTensor result(tensor.getElementType(), outShape);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t from = (o * shape[axis] + index) * inner + i;
      if (tensor.isFloat())
        result.setFromDouble(o * inner + i, tensor.getDouble(from));
      else
        result.setFromInt(o * inner + i, tensor.getInt(from));
    }
  }
  return result;
}

/// Element `index` of `entry` along `axis`, that axis removed.
static TensorEntry take(NodeContext &ctx, TensorEntry &entry, int64_t axis,
                        int64_t index) {
  TensorEntry result;
  if (entry.host) {
    result.host = takeHost(*entry.host, axis, index);
    return result;
  }
  Value value = toValue(ctx, entry);
  if (!value)
    return result;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> starts(type.getRank(), 0), sizes(type.getShape()),
      steps(type.getRank(), 1);
  starts[axis] = index;
  sizes[axis] = 1;
  Value slice = ctx.create<kiln::SliceOp>(value, starts, sizes, steps);
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  result.value = ctx.createReshape(slice, shape);
  return result;
}

/// Stacks equally typed `items` along a new axis `axis` (on the host when
/// all are known and small). `what` names the stacked result in errors.
static std::optional<TensorEntry> stack(NodeContext &ctx,
                                        MutableArrayRef<TensorEntry> items,
                                        int64_t axis, const Twine &what) {
  RankedTensorType type = getEntryType(items.front());
  for (size_t i = 1; i < items.size(); ++i) {
    RankedTensorType other = getEntryType(items[i]);
    if (other == type)
      continue;
    ctx.emitUnsupported() << what << " is " << type << " in iteration 0 but "
                          << other << " in iteration " << i
                          << "; Kiln needs the same static shape in every "
                             "iteration";
    return std::nullopt;
  }
  if (!type.hasStaticShape()) {
    ctx.emitUnsupported() << what << " has a dynamic shape " << type;
    return std::nullopt;
  }
  int64_t count = static_cast<int64_t>(items.size());
  SmallVector<int64_t> shape = insertDim(type.getShape(), axis, count);
  TensorEntry result;
  bool allKnown = llvm::all_of(items, [](auto &item) { return item.host; });
  if (allKnown && type.getNumElements() * count <= kMaxHostElements) {
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= type.getDimSize(d);
    int64_t inner = type.getNumElements() / std::max<int64_t>(outer, 1);
    HostTensor stacked(type.getElementType(), shape);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t k = 0; k < count; ++k) {
        const HostTensor &item = *items[k].host;
        for (int64_t i = 0; i < inner; ++i) {
          int64_t from = o * inner + i, to = (o * count + k) * inner + i;
          if (item.isFloat())
            stacked.setFromDouble(to, item.getDouble(from));
          else
            stacked.setFromInt(to, item.getInt(from));
        }
      }
    }
    result.host = std::move(stacked);
    return result;
  }
  SmallVector<Value> parts;
  SmallVector<int64_t> partShape = insertDim(type.getShape(), axis, 1);
  for (TensorEntry &item : items)
    parts.push_back(ctx.createReshape(toValue(ctx, item), partShape));
  if (ctx.hasFailed())
    return std::nullopt;
  result.value = parts.size() == 1
                     ? parts.front()
                     : ctx.create<kiln::ConcatOp>(ValueRange(parts), axis);
  if (!result.value)
    return std::nullopt;
  return result;
}

/// An empty result of `count` zero iterations for subgraph output `output`,
/// shaped by its declared type with `0` inserted at `axis`.
static std::optional<TensorEntry>
emptyStack(NodeContext &ctx, const ::onnx::ValueInfoProto &output, int64_t axis,
           const Twine &what) {
  auto type = getValueInfoType(ctx.getContext(), output);
  if (!type || !type->hasStaticShape() || axis > type->getRank()) {
    if (!type)
      llvm::consumeError(type.takeError());
    ctx.emitUnsupported() << what
                          << " has no iterations and the body does not "
                             "declare a static shape for it";
    return std::nullopt;
  }
  TensorEntry result;
  result.host =
      HostTensor(type->getElementType(), insertDim(type->getShape(), axis, 0));
  return result;
}

/// Reads a bool condition known at import time; nullopt (after an error)
/// when it does not hold exactly one value.
static std::optional<bool>
readCondition(NodeContext &ctx, const HostTensor &cond, StringRef what) {
  if (cond.size() != 1) {
    ctx.emitError() << what << " must hold one value, got " << cond.size();
    return std::nullopt;
  }
  return cond.getDouble(0) != 0;
}

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

/// If: the taken branch alone when the condition is known at import time;
/// otherwise both branches, each output a kiln.select between them.
static void importIf(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  const ::onnx::GraphProto *thenBranch = ctx.getGraphAttr("then_branch");
  const ::onnx::GraphProto *elseBranch = ctx.getGraphAttr("else_branch");
  if (ctx.hasFailed())
    return;
  if (!thenBranch || !elseBranch) {
    ctx.emitError() << "needs graph attributes 'then_branch' and "
                       "'else_branch'";
    return;
  }
  int numOutputs = static_cast<int>(ctx.getNumOutputs());
  for (auto [name, branch] : {std::pair{"then_branch", thenBranch},
                              std::pair{"else_branch", elseBranch}}) {
    if (branch->output_size() != numOutputs) {
      ctx.emitError() << "its " << name << " has " << branch->output_size()
                      << " outputs but the node has " << numOutputs;
      return;
    }
  }
  GraphImporter &importer = ctx.getImporter();

  if (const HostTensor *known = ctx.getConstantInput(0)) {
    std::optional<bool> cond = readCondition(ctx, *known, "the condition");
    if (!cond)
      return;
    auto outputs =
        importer.importSubgraph(ctx, *cond ? "then_branch" : "else_branch",
                                *cond ? *thenBranch : *elseBranch, {});
    if (!outputs)
      return;
    for (int i = 0; i < numOutputs; ++i)
      setOutputEntry(ctx, i, std::move((*outputs)[i]));
    return;
  }

  RankedTensorType condType = ctx.getInputType(0);
  if (!condType)
    return;
  if (!condType.getElementType().isInteger(1) || !condType.hasStaticShape() ||
      condType.getNumElements() != 1) {
    ctx.emitError() << "the condition must be a bool tensor of one element, "
                       "not "
                    << condType;
    return;
  }
  Value cond = ctx.createReshape(ctx.getInput(0), {});
  auto thenOutputs =
      importer.importSubgraph(ctx, "then_branch", *thenBranch, {});
  if (!thenOutputs)
    return;
  auto elseOutputs =
      importer.importSubgraph(ctx, "else_branch", *elseBranch, {});
  if (!elseOutputs)
    return;
  for (int i = 0; i < numOutputs; ++i) {
    TensorEntry &thenOut = (*thenOutputs)[i];
    TensorEntry &elseOut = (*elseOutputs)[i];
    RankedTensorType thenType = getEntryType(thenOut);
    RankedTensorType elseType = getEntryType(elseOut);
    if (thenType != elseType) {
      ctx.emitUnsupported()
          << "output " << i << " is " << thenType << " in the then_branch but "
          << elseType
          << " in the else_branch; the condition must be known at compile "
             "time to pick one branch";
      return;
    }
    if (thenOut.host && elseOut.host &&
        thenOut.host->toAttr() == elseOut.host->toAttr()) {
      setOutputEntry(ctx, i, std::move(thenOut));
      continue;
    }
    Value selected = ctx.create<kiln::SelectOp>(cond, toValue(ctx, thenOut),
                                                toValue(ctx, elseOut));
    ctx.setOutput(i, selected);
  }
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

/// Loop: unrolled into `M` copies of the body (fewer when the body's
/// condition turns false), which must be known at import time.
static void importLoop(NodeContext &ctx) {
  const auto &node = ctx.getNode();
  const ::onnx::GraphProto *body = ctx.getGraphAttr("body");
  if (ctx.hasFailed())
    return;
  if (!body) {
    ctx.emitError() << "needs a graph attribute 'body'";
    return;
  }
  if (node.input_size() < 2) {
    ctx.emitError() << "expects at least 2 inputs (M, cond), got "
                    << node.input_size();
    return;
  }
  int numCarried = node.input_size() - 2;
  int numScans = body->output_size() - 1 - numCarried;
  if (body->input_size() != numCarried + 2 || numScans < 0) {
    ctx.emitError() << "its body has " << body->input_size() << " inputs and "
                    << body->output_size() << " outputs; with " << numCarried
                    << " loop-carried values it needs " << numCarried + 2
                    << " inputs (iteration number, condition, carried "
                       "values) and at least "
                    << numCarried + 1 << " outputs (condition, carried values, "
                    << "scan outputs)";
    return;
  }
  if (node.output_size() > numCarried + numScans) {
    ctx.emitError() << "has " << node.output_size() << " outputs but its body "
                    << "gives only " << numCarried + numScans;
    return;
  }

  std::optional<int64_t> tripCount;
  if (ctx.hasInput(0)) {
    auto values = ctx.requireConstantInts(0, "the trip count M of Loop");
    if (!values)
      return;
    if (values->size() != 1) {
      ctx.emitError() << "the trip count M must hold one value, got "
                      << values->size();
      return;
    }
    tripCount = std::max<int64_t>((*values)[0], 0);
    if (*tripCount > kMaxUnrolledBodies) {
      ctx.emitUnsupported() << "trip count " << *tripCount
                            << ": Kiln unrolls loops and allows at most "
                            << kMaxUnrolledBodies << " iterations";
      return;
    }
  }
  bool cond = true;
  if (ctx.hasInput(1)) {
    auto values = ctx.requireConstantInts(1, "the initial condition of Loop");
    if (!values)
      return;
    if (values->size() != 1) {
      ctx.emitError() << "the initial condition must hold one value, got "
                      << values->size();
      return;
    }
    cond = (*values)[0] != 0;
  } else if (!tripCount) {
    ctx.emitUnsupported() << "a Loop with neither a trip count nor a "
                             "condition never ends";
    return;
  }

  SmallVector<TensorEntry> carried;
  for (int i = 0; i < numCarried; ++i) {
    if (!ctx.hasInput(2 + i)) {
      ctx.emitError() << "loop-carried input " << 2 + i << " is missing";
      return;
    }
    carried.push_back(getInputEntry(ctx, 2 + i));
  }
  if (ctx.hasFailed())
    return;

  MLIRContext *context = ctx.getContext();
  Type i64 = IntegerType::get(context, 64);
  Type i1 = IntegerType::get(context, 1);
  std::vector<SmallVector<TensorEntry>> scans(numScans);
  int64_t iteration = 0;
  for (; cond && (!tripCount || iteration < *tripCount); ++iteration) {
    if (iteration == kMaxUnrolledBodies) {
      ctx.emitUnsupported()
          << "the condition of Loop is still true after " << kMaxUnrolledBodies
          << " iterations; Kiln unrolls loops and allows "
             "at most that many";
      return;
    }
    SmallVector<TensorEntry> inputs{makeScalar(i64, iteration),
                                    makeScalar(i1, 1)};
    inputs.append(carried.begin(), carried.end());
    auto outputs = ctx.getImporter().importSubgraph(ctx, "body", *body, inputs);
    if (!outputs)
      return;
    for (int i = 0; i < numCarried; ++i)
      carried[i] = std::move((*outputs)[1 + i]);
    for (int k = 0; k < numScans; ++k)
      scans[k].push_back(std::move((*outputs)[1 + numCarried + k]));
    // After the last counted iteration the condition no longer matters.
    if (tripCount && iteration + 1 == *tripCount)
      continue;
    TensorEntry &next = (*outputs)[0];
    if (!next.host) {
      ctx.emitUnsupported() << "the condition computed by the body in "
                               "iteration "
                            << iteration
                            << " depends on run-time data; it must be known "
                               "at compile time";
      return;
    }
    std::optional<bool> value =
        readCondition(ctx, *next.host, "the condition output of the body");
    if (!value)
      return;
    cond = *value;
  }

  for (int i = 0; i < numCarried; ++i)
    setOutputEntry(ctx, i, std::move(carried[i]));
  for (int k = 0; k < numScans; ++k) {
    std::string what = "scan output " + std::to_string(k) + " of Loop";
    auto stacked =
        iteration == 0
            ? emptyStack(ctx, body->output(1 + numCarried + k), 0, what)
            : stack(ctx, scans[k], 0, what);
    if (!stacked)
      return;
    setOutputEntry(ctx, numCarried + k, std::move(*stacked));
  }
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

namespace {
/// How Scan walks its scan inputs and lays out its scan outputs.
struct ScanLayout {
  SmallVector<int64_t> inputAxes, outputAxes;
  SmallVector<bool> inputReverse, outputReverse;
};
} // namespace

/// Unrolls the body over the sequence of `scanInputs`: returns the final
/// states followed by the stacked scan outputs, or nullopt after an error.
static std::optional<SmallVector<TensorEntry>>
unrollScan(NodeContext &ctx, const ::onnx::GraphProto &body,
           SmallVector<TensorEntry> states,
           MutableArrayRef<TensorEntry> scanInputs, const ScanLayout &layout,
           int64_t &bodiesLeft) {
  int64_t length = -1;
  for (auto [k, input] : llvm::enumerate(scanInputs)) {
    RankedTensorType type = getEntryType(input);
    int64_t size = type.getDimSize(layout.inputAxes[k]);
    if (ShapedType::isDynamic(size)) {
      ctx.emitUnsupported()
          << "scan input " << k << " has a dynamic sequence length";
      return std::nullopt;
    }
    if (length >= 0 && size != length) {
      ctx.emitError() << "scan input " << k << " has sequence length " << size
                      << " but scan input 0 has " << length;
      return std::nullopt;
    }
    length = size;
  }
  if (length == 0) {
    ctx.emitUnsupported() << "a Scan over an empty sequence";
    return std::nullopt;
  }
  if (length > bodiesLeft) {
    ctx.emitUnsupported() << "a Scan over " << length
                          << " steps: Kiln unrolls scans and allows at most "
                          << kMaxUnrolledBodies << " copies of the body";
    return std::nullopt;
  }
  bodiesLeft -= length;

  size_t numStates = states.size();
  size_t numOutputs = layout.outputAxes.size();
  std::vector<SmallVector<TensorEntry>> scans(numOutputs);
  for (int64_t step = 0; step < length; ++step) {
    SmallVector<TensorEntry> inputs(states);
    for (auto [k, input] : llvm::enumerate(scanInputs)) {
      int64_t index = layout.inputReverse[k] ? length - 1 - step : step;
      inputs.push_back(take(ctx, input, layout.inputAxes[k], index));
    }
    if (ctx.hasFailed())
      return std::nullopt;
    auto outputs = ctx.getImporter().importSubgraph(ctx, "body", body, inputs);
    if (!outputs)
      return std::nullopt;
    for (size_t i = 0; i < numStates; ++i)
      states[i] = std::move((*outputs)[i]);
    for (size_t k = 0; k < numOutputs; ++k)
      scans[k].push_back(std::move((*outputs)[numStates + k]));
  }

  SmallVector<TensorEntry> results(std::move(states));
  for (size_t k = 0; k < numOutputs; ++k) {
    if (layout.outputReverse[k])
      std::reverse(scans[k].begin(), scans[k].end());
    int64_t rank = getEntryType(scans[k].front()).getRank() + 1;
    auto axis =
        ctx.normalizeAxis(layout.outputAxes[k], rank, "scan_output_axes value");
    if (!axis)
      return std::nullopt;
    auto stacked =
        stack(ctx, scans[k], *axis, "scan output " + Twine(k) + " of Scan");
    if (!stacked)
      return std::nullopt;
    results.push_back(std::move(*stacked));
  }
  return results;
}

/// Reads an optional list attribute of `count` values (default `fill`).
static std::optional<SmallVector<int64_t>>
getListAttr(NodeContext &ctx, StringRef name, size_t count, int64_t fill) {
  auto values = ctx.getInts(name);
  if (ctx.hasFailed())
    return std::nullopt;
  if (!values)
    return SmallVector<int64_t>(count, fill);
  if (values->size() != count) {
    ctx.emitError() << "attribute '" << name << "' has " << values->size()
                    << " values, expected " << count;
    return std::nullopt;
  }
  return SmallVector<int64_t>(values->begin(), values->end());
}

/// Reads a list of directions (0 forward, 1 reverse).
static std::optional<SmallVector<bool>>
getDirections(NodeContext &ctx, StringRef name, size_t count) {
  auto values = getListAttr(ctx, name, count, 0);
  if (!values)
    return std::nullopt;
  SmallVector<bool> reverse;
  for (int64_t value : *values) {
    if (value != 0 && value != 1) {
      ctx.emitError() << "attribute '" << name << "' holds " << value
                      << "; directions are 0 (forward) or 1 (reverse)";
      return std::nullopt;
    }
    reverse.push_back(value == 1);
  }
  return reverse;
}

/// Scan (opset 8 with its batch axis and sequence_lens, and opset 9+ with
/// scan axes and directions), unrolled over the static sequence length.
static void importScan(NodeContext &ctx) {
  const auto &node = ctx.getNode();
  const ::onnx::GraphProto *body = ctx.getGraphAttr("body");
  int64_t numScanInputs = ctx.getInt("num_scan_inputs", -1);
  if (ctx.hasFailed())
    return;
  if (!body) {
    ctx.emitError() << "needs a graph attribute 'body'";
    return;
  }
  bool batched = ctx.getOpset() < 9;
  int first = batched ? 1 : 0; // Opset 8 starts with sequence_lens.
  int numInputs = node.input_size() - first;
  if (numScanInputs < 1 || numScanInputs > numInputs) {
    ctx.emitError() << "attribute 'num_scan_inputs' is " << numScanInputs
                    << "; it must be in [1, " << numInputs << "]";
    return;
  }
  int numStates = numInputs - static_cast<int>(numScanInputs);
  int numScanOutputs = body->output_size() - numStates;
  if (body->input_size() != numInputs || numScanOutputs < 0) {
    ctx.emitError() << "its body has " << body->input_size() << " inputs and "
                    << body->output_size() << " outputs; with " << numStates
                    << " state values and " << numScanInputs
                    << " scan inputs it needs " << numInputs
                    << " inputs and at least " << numStates << " outputs";
    return;
  }
  if (node.output_size() > numStates + numScanOutputs) {
    ctx.emitError() << "has " << node.output_size() << " outputs but its body "
                    << "gives only " << numStates + numScanOutputs;
    return;
  }

  ScanLayout layout;
  if (batched) {
    auto reverse = getDirections(ctx, "directions", numScanInputs);
    if (!reverse)
      return;
    layout.inputReverse = *reverse;
    layout.inputAxes.assign(numScanInputs, 0);
    layout.outputAxes.assign(numScanOutputs, 0);
    layout.outputReverse.assign(numScanOutputs, false);
  } else {
    auto inReverse = getDirections(ctx, "scan_input_directions", numScanInputs);
    auto outReverse =
        getDirections(ctx, "scan_output_directions", numScanOutputs);
    auto inAxes = getListAttr(ctx, "scan_input_axes", numScanInputs, 0);
    auto outAxes = getListAttr(ctx, "scan_output_axes", numScanOutputs, 0);
    if (!inReverse || !outReverse || !inAxes || !outAxes)
      return;
    layout = {*inAxes, *outAxes, *inReverse, *outReverse};
  }

  SmallVector<TensorEntry> states, scanInputs;
  for (int i = 0; i < numInputs; ++i) {
    if (!ctx.hasInput(first + i)) {
      ctx.emitError() << "input " << first + i << " is missing";
      return;
    }
    TensorEntry entry = getInputEntry(ctx, first + i);
    if (ctx.hasFailed())
      return;
    (i < numStates ? states : scanInputs).push_back(std::move(entry));
  }
  for (int k = 0; k < numScanInputs; ++k) {
    int64_t rank = getEntryType(scanInputs[k]).getRank() - (batched ? 1 : 0);
    auto axis =
        ctx.normalizeAxis(layout.inputAxes[k], rank, "scan_input_axes value");
    if (!axis)
      return;
    layout.inputAxes[k] = *axis;
  }

  int64_t bodiesLeft = kMaxUnrolledBodies;
  if (!batched) {
    auto results =
        unrollScan(ctx, *body, states, scanInputs, layout, bodiesLeft);
    if (!results)
      return;
    for (auto [i, result] : llvm::enumerate(*results))
      setOutputEntry(ctx, i, std::move(result));
    return;
  }

  // Opset 8: every input has a leading batch axis; each batch element is
  // scanned on its own and the results stacked back along that axis.
  SmallVector<TensorEntry *> all;
  for (TensorEntry &entry : states)
    all.push_back(&entry);
  for (TensorEntry &entry : scanInputs)
    all.push_back(&entry);
  int64_t batch = -1;
  for (TensorEntry *entry : all) {
    RankedTensorType type = getEntryType(*entry);
    if (type.getRank() < 1 || ShapedType::isDynamic(type.getDimSize(0)) ||
        (batch >= 0 && type.getDimSize(0) != batch)) {
      ctx.emitError() << "every input of an opset 8 Scan needs the same "
                         "static batch size as axis 0, got "
                      << type;
      return;
    }
    batch = type.getDimSize(0);
  }
  if (batch == 0) {
    ctx.emitUnsupported() << "a Scan over an empty batch";
    return;
  }
  int64_t length = getEntryType(scanInputs.front()).getDimSize(1);
  if (ctx.hasInput(0)) {
    auto lengths = ctx.requireConstantInts(0, "sequence_lens of Scan");
    if (!lengths)
      return;
    for (int64_t value : *lengths) {
      if (value == length)
        continue;
      ctx.emitUnsupported()
          << "sequence_lens holds " << value
          << "; Kiln only scans the full sequence length " << length;
      return;
    }
  }
  int numResults = numStates + numScanOutputs;
  std::vector<SmallVector<TensorEntry>> perBatch(numResults);
  for (int64_t b = 0; b < batch; ++b) {
    SmallVector<TensorEntry> batchStates, batchInputs;
    for (TensorEntry &entry : states)
      batchStates.push_back(take(ctx, entry, 0, b));
    for (TensorEntry &entry : scanInputs)
      batchInputs.push_back(take(ctx, entry, 0, b));
    if (ctx.hasFailed())
      return;
    auto results =
        unrollScan(ctx, *body, batchStates, batchInputs, layout, bodiesLeft);
    if (!results)
      return;
    for (int i = 0; i < numResults; ++i)
      perBatch[i].push_back(std::move((*results)[i]));
  }
  for (int i = 0; i < numResults; ++i) {
    auto stacked = stack(ctx, perBatch[i], 0,
                         "output " + Twine(i) + " of Scan across the batch");
    if (!stacked)
      return;
    setOutputEntry(ctx, i, std::move(*stacked));
  }
}

void mlir::kiln::onnx::addControlFlowRules(ImportRuleMap &rules) {
  rules["If"] = importIf;
  rules["Loop"] = importLoop;
  rules["Scan"] = importScan;
}
