//===- RecurrentRules.cpp - Import of ONNX RNN, GRU and LSTM --------------===//
//
// Part of Kiln. The three ONNX recurrent layers (opsets 1 to 22): forward,
// reverse and bidirectional, every activation ONNX lists (with
// activation_alpha/activation_beta), clip, LSTM peepholes and input_forget,
// GRU linear_before_reset, optional biases and initial states, layout 0/1,
// and sequence_lens (constant or not) by masking.
//
// Kiln's shapes are static, so the time loop is unrolled at import into
// kiln ops: the input projection X * W^T (plus the biases that do not depend
// on the state) is one matmul over all time steps, and each step is then a
// [batch, hidden] x [hidden, gates * hidden] matmul and a few elementwise
// ops. The cost is IR (and code) size linear in the sequence length: about
// 15 to 30 ops per step and direction, and compile time grows faster than
// that: an LSTM of 200 steps (hidden 64) took about 100 s to compile, most
// of it in LLVM's optimization of the one unrolled function and in one-shot
// bufferization (whose alias analysis is superlinear; Y is concatenated in
// groups of 16 steps to keep it in check), against 5 s for 50 steps. A
// kiln loop op (or scf.for after lowering) is the planned replacement once
// Kiln has region ops.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace mlir::kiln::onnx;

namespace {

enum class RecurrentKind { Rnn, Gru, Lstm };

/// One activation function of a recurrent layer with its parameters.
struct Activation {
  enum Kind {
    Relu,
    Tanh,
    Sigmoid,
    Affine,
    LeakyRelu,
    ThresholdedRelu,
    ScaledTanh,
    HardSigmoid,
    Elu,
    Softsign,
    Softplus
  };
  Kind kind;
  double alpha = 0.0;
  double beta = 0.0;
};

/// The attributes and sizes of one layer.
struct RecurrentLayer {
  RecurrentKind kind;
  int64_t gates;         // 1 (RNN), 3 (GRU) or 4 (LSTM)
  int64_t numDirections; // 1 or 2
  bool reverse;          // direction == "reverse"
  int64_t seqLength, batch, inputSize, hidden;
  Type elementType;
  std::optional<double> clip;
  bool inputForget = false;       // LSTM
  bool linearBeforeReset = false; // GRU
  /// The activations of each direction (1, 2 or 3), forward first.
  SmallVector<Activation> activations;
};

} // namespace

//===----------------------------------------------------------------------===//
// Small builders
//===----------------------------------------------------------------------===//

static Value scalar(NodeContext &ctx, double value, Type elementType) {
  return ctx.createScalar(value, elementType);
}

/// `x[:, start : start + size]` of a rank-2 value.
static Value sliceColumns(NodeContext &ctx, Value x, int64_t start,
                          int64_t size) {
  if (!x)
    return {};
  int64_t rows = cast<RankedTensorType>(x.getType()).getDimSize(0);
  return ctx.create<kiln::SliceOp>(x, ArrayRef<int64_t>{0, start},
                                   ArrayRef<int64_t>{rows, size},
                                   ArrayRef<int64_t>{1, 1});
}

/// `x[index]` of a rank-3 value as a rank-2 value (one direction of W, R...).
static Value sliceDirection(NodeContext &ctx, Value x, int64_t index) {
  if (!x)
    return {};
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  Value slice =
      ctx.create<kiln::SliceOp>(x, SmallVector<int64_t>{index, 0, 0},
                                SmallVector<int64_t>{1, shape[1], shape[2]},
                                SmallVector<int64_t>{1, 1, 1});
  return ctx.createReshape(slice, {shape[1], shape[2]});
}

/// `x[index]` of a rank-2 value as a rank-1 value (one direction of B, P).
static Value sliceRow(NodeContext &ctx, Value x, int64_t index,
                      int64_t start = 0, int64_t size = -1) {
  if (!x)
    return {};
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  if (size < 0)
    size = shape[1];
  Value slice = ctx.create<kiln::SliceOp>(x, ArrayRef<int64_t>{index, start},
                                          ArrayRef<int64_t>{1, size},
                                          ArrayRef<int64_t>{1, 1});
  return ctx.createReshape(slice, {size});
}

static Value transpose2D(NodeContext &ctx, Value x) {
  if (!x)
    return {};
  return ctx.create<kiln::TransposeOp>(x, ArrayRef<int64_t>{1, 0});
}

/// `a + b` where a null operand stands for zero.
static Value addOrZero(NodeContext &ctx, Value a, Value b) {
  if (!a)
    return b;
  if (!b)
    return a;
  return ctx.create<kiln::AddOp>(a, b);
}

/// A splat zero constant of `shape`.
static Value zerosConstant(NodeContext &ctx, ArrayRef<int64_t> shape,
                           Type elementType) {
  if (ctx.hasFailed())
    return {};
  auto type = RankedTensorType::get(shape, elementType);
  OpBuilder &builder = ctx.getBuilder();
  return builder.create<kiln::ConstantOp>(
      ctx.getLoc(), type,
      DenseElementsAttr::get(type, builder.getZeroAttr(elementType)));
}

static Value compareScalar(NodeContext &ctx, kiln::ComparePredicate predicate,
                           Value x, double c, Type type) {
  return ctx.create<kiln::CompareOp>(predicate, x, scalar(ctx, c, type));
}

static Value applyActivation(NodeContext &ctx, const Activation &act, Value x,
                             Type type) {
  if (!x)
    return {};
  using P = kiln::ComparePredicate;
  auto mulC = [&](Value v, double c) {
    return ctx.create<kiln::MulOp>(v, scalar(ctx, c, type));
  };
  auto addC = [&](Value v, double c) {
    return ctx.create<kiln::AddOp>(v, scalar(ctx, c, type));
  };
  switch (act.kind) {
  case Activation::Relu:
    return ctx.create<kiln::ReluOp>(x);
  case Activation::Tanh:
    return ctx.create<kiln::TanhOp>(x);
  case Activation::Sigmoid:
    return ctx.create<kiln::SigmoidOp>(x);
  case Activation::Affine:
    return addC(mulC(x, act.alpha), act.beta);
  case Activation::LeakyRelu:
    return ctx.create<kiln::SelectOp>(compareScalar(ctx, P::lt, x, 0.0, type),
                                      mulC(x, act.alpha), x);
  case Activation::ThresholdedRelu:
    return ctx.create<kiln::SelectOp>(
        compareScalar(ctx, P::gt, x, act.alpha, type), x,
        scalar(ctx, 0.0, type));
  case Activation::ScaledTanh:
    return mulC(ctx.create<kiln::TanhOp>(mulC(x, act.beta)), act.alpha);
  case Activation::HardSigmoid: {
    OpBuilder &b = ctx.getBuilder();
    return ctx.create<kiln::ClipOp>(addC(mulC(x, act.alpha), act.beta),
                                    b.getF64FloatAttr(0.0),
                                    b.getF64FloatAttr(1.0));
  }
  case Activation::Elu: {
    Value expm1 = addC(ctx.create<kiln::ExpOp>(x), -1.0);
    return ctx.create<kiln::SelectOp>(compareScalar(ctx, P::lt, x, 0.0, type),
                                      mulC(expm1, act.alpha), x);
  }
  case Activation::Softsign:
    return ctx.create<kiln::DivOp>(x, addC(ctx.create<kiln::AbsOp>(x), 1.0));
  case Activation::Softplus:
    return ctx.create<kiln::LogOp>(addC(ctx.create<kiln::ExpOp>(x), 1.0));
  }
  return {};
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

/// Reads the STRINGS attribute `activations` (absent: empty).
static std::optional<std::vector<std::string>>
getActivationNames(NodeContext &ctx) {
  for (const auto &attr : ctx.getNode().attribute()) {
    if (attr.name() != "activations")
      continue;
    if (attr.type() != ::onnx::AttributeProto::STRINGS &&
        !(attr.type() == ::onnx::AttributeProto::UNDEFINED &&
          attr.strings_size() > 0)) {
      ctx.emitError() << "attribute 'activations' must be a list of strings";
      return std::nullopt;
    }
    return std::vector<std::string>(attr.strings().begin(),
                                    attr.strings().end());
  }
  return std::vector<std::string>();
}

/// Parses the activations with their alpha/beta. The parameter lists are
/// consumed in order by the activations that take the parameter; missing
/// values take the defaults of the ONNX operators of the same name.
static bool parseActivations(NodeContext &ctx, RecurrentLayer &layer) {
  static const char *const defaults[3][3] = {
      {"Tanh", "", ""},
      {"Sigmoid", "Tanh", ""},
      {"Sigmoid", "Tanh", "Tanh"},
  };
  int64_t perDirection = layer.kind == RecurrentKind::Rnn   ? 1
                         : layer.kind == RecurrentKind::Gru ? 2
                                                            : 3;
  auto names = getActivationNames(ctx);
  auto alphas = ctx.getFloats("activation_alpha");
  auto betas = ctx.getFloats("activation_beta");
  if (!names || ctx.hasFailed())
    return false;
  int64_t expected = perDirection * layer.numDirections;
  if (names->empty()) {
    for (int64_t d = 0; d < layer.numDirections; ++d)
      for (int64_t i = 0; i < perDirection; ++i)
        names->push_back(defaults[perDirection - 1][i]);
  } else if (static_cast<int64_t>(names->size()) != expected) {
    // Like onnxruntime, one direction's list serves both directions.
    if (layer.numDirections == 2 &&
        static_cast<int64_t>(names->size()) == perDirection) {
      std::vector<std::string> twice = *names;
      twice.insert(twice.end(), names->begin(), names->end());
      *names = twice;
    } else {
      ctx.emitError() << "attribute 'activations' has " << names->size()
                      << " entries, expected " << expected << " ("
                      << perDirection << " per direction)";
      return false;
    }
  }
  size_t nextAlpha = 0, nextBeta = 0;
  auto takeAlpha = [&](double defaultValue) {
    return alphas && nextAlpha < alphas->size() ? (*alphas)[nextAlpha++]
                                                : defaultValue;
  };
  auto takeBeta = [&](double defaultValue) {
    return betas && nextBeta < betas->size() ? (*betas)[nextBeta++]
                                             : defaultValue;
  };
  for (const std::string &name : *names) {
    std::string lower = llvm::StringRef(name).lower();
    Activation act;
    if (lower == "relu") {
      act.kind = Activation::Relu;
    } else if (lower == "tanh") {
      act.kind = Activation::Tanh;
    } else if (lower == "sigmoid") {
      act.kind = Activation::Sigmoid;
    } else if (lower == "affine") {
      act.kind = Activation::Affine;
      act.alpha = takeAlpha(1.0);
      act.beta = takeBeta(0.0);
    } else if (lower == "leakyrelu") {
      act.kind = Activation::LeakyRelu;
      act.alpha = takeAlpha(0.01);
    } else if (lower == "thresholdedrelu") {
      act.kind = Activation::ThresholdedRelu;
      act.alpha = takeAlpha(1.0);
    } else if (lower == "scaledtanh") {
      act.kind = Activation::ScaledTanh;
      act.alpha = takeAlpha(1.0);
      act.beta = takeBeta(1.0);
    } else if (lower == "hardsigmoid") {
      act.kind = Activation::HardSigmoid;
      act.alpha = takeAlpha(0.2);
      act.beta = takeBeta(0.5);
    } else if (lower == "elu") {
      act.kind = Activation::Elu;
      act.alpha = takeAlpha(1.0);
    } else if (lower == "softsign") {
      act.kind = Activation::Softsign;
    } else if (lower == "softplus") {
      act.kind = Activation::Softplus;
    } else {
      ctx.emitError() << "unknown activation function '" << name << "'";
      return false;
    }
    if (!std::isfinite(act.alpha) || !std::isfinite(act.beta)) {
      ctx.emitError() << "activation '" << name
                      << "' has a non-finite alpha or beta";
      return false;
    }
    layer.activations.push_back(act);
  }
  return true;
}

/// Checks `value` has exactly `shape` (static); `what` names it.
static bool checkShape(NodeContext &ctx, Value value, ArrayRef<int64_t> shape,
                       StringRef what) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return true;
  auto diag = ctx.emitError() << what << " must have shape [";
  llvm::interleave(shape, diag, ", ");
  diag << "], got " << type;
  return false;
}

//===----------------------------------------------------------------------===//
// The unrolled layer
//===----------------------------------------------------------------------===//

namespace {

/// The per-direction state and operands while unrolling.
struct DirectionResult {
  SmallVector<Value> outputs; // [batch, hidden] per time step, in time order
  Value hidden, cell;         // final states (null: zero)
};

struct Operands {
  Value x;         // [T * batch, input], time-major
  Value w, r;      // [D, G*H, I], [D, G*H, H]
  Value bias;      // [D, 2*G*H] or null
  Value lens;      // [batch, 1] integer, or null: full length
  Value initialH;  // [D, batch, H] or null
  Value initialC;  // [D, batch, H] or null
  Value peepholes; // [D, 3*H] or null
};

} // namespace

static DirectionResult unrollDirection(NodeContext &ctx,
                                       const RecurrentLayer &layer,
                                       const Operands &in, int64_t d,
                                       bool reverse) {
  DirectionResult result;
  Type type = layer.elementType;
  int64_t h = layer.hidden, b = layer.batch, g = layer.gates;
  const Activation *acts =
      &layer.activations[d * (layer.activations.size() / layer.numDirections)];
  OpBuilder &builder = ctx.getBuilder();
  auto clip = [&](Value v) -> Value {
    if (!v || !layer.clip)
      return v;
    return ctx.create<kiln::ClipOp>(v, builder.getF64FloatAttr(-*layer.clip),
                                    builder.getF64FloatAttr(*layer.clip));
  };
  auto activate = [&](int which, Value v) {
    return applyActivation(ctx, acts[which], clip(v), type);
  };

  // Biases: everything that does not multiply the state goes into the
  // hoisted projection; GRU with linear_before_reset keeps Rbh apart.
  Value inputBias, recurrentHiddenBias;
  if (in.bias) {
    Value wb = sliceRow(ctx, in.bias, d, 0, g * h);
    Value rb = sliceRow(ctx, in.bias, d, g * h, g * h);
    if (layer.kind == RecurrentKind::Gru && layer.linearBeforeReset) {
      Value rbZR = ctx.create<kiln::SliceOp>(rb, ArrayRef<int64_t>{0},
                                             ArrayRef<int64_t>{2 * h},
                                             ArrayRef<int64_t>{1});
      Value zeros = zerosConstant(ctx, {h}, type);
      recurrentHiddenBias =
          ctx.create<kiln::SliceOp>(rb, ArrayRef<int64_t>{2 * h},
                                    ArrayRef<int64_t>{h}, ArrayRef<int64_t>{1});
      rb = ctx.create<kiln::ConcatOp>(ValueRange{rbZR, zeros},
                                      builder.getI64IntegerAttr(0));
    }
    inputBias = ctx.create<kiln::AddOp>(wb, rb);
  }

  // The input projection of every time step at once: [T * batch, G * H].
  Value wT = transpose2D(ctx, sliceDirection(ctx, in.w, d));
  Value projected = ctx.create<kiln::MatMulOp>(in.x, wT);
  projected = addOrZero(ctx, projected, inputBias);

  // Recurrent weights, transposed for state * R^T.
  Value rDir = sliceDirection(ctx, in.r, d);
  Value rT, rZRT, rHT; // whole; GRU: update+reset gates, hidden gate
  if (layer.kind == RecurrentKind::Gru && !layer.linearBeforeReset) {
    rZRT = transpose2D(ctx,
                       ctx.create<kiln::SliceOp>(rDir, ArrayRef<int64_t>{0, 0},
                                                 ArrayRef<int64_t>{2 * h, h},
                                                 ArrayRef<int64_t>{1, 1}));
    rHT =
        transpose2D(ctx, ctx.create<kiln::SliceOp>(
                             rDir, ArrayRef<int64_t>{2 * h, 0},
                             ArrayRef<int64_t>{h, h}, ArrayRef<int64_t>{1, 1}));
  } else {
    rT = transpose2D(ctx, rDir);
  }

  // Peepholes [iof], broadcast over the batch.
  Value pI, pO, pF;
  if (in.peepholes) {
    pI = sliceRow(ctx, in.peepholes, d, 0, h);
    pO = sliceRow(ctx, in.peepholes, d, h, h);
    pF = sliceRow(ctx, in.peepholes, d, 2 * h, h);
  }

  // States; null stands for zeros (and saves the first step's matmul).
  Value state = in.initialH ? sliceDirection(ctx, in.initialH, d) : Value();
  Value cell = in.initialC ? sliceDirection(ctx, in.initialC, d) : Value();
  auto stateTimes = [&](Value s, Value weightsT) -> Value {
    return s ? ctx.create<kiln::MatMulOp>(s, weightsT) : Value();
  };
  auto mulOrZero = [&](Value a, Value s) -> Value {
    return s ? ctx.create<kiln::MulOp>(a, s) : Value();
  };

  int64_t steps = layer.seqLength;
  result.outputs.assign(steps, Value());
  Value zero = scalar(ctx, 0.0, type);
  for (int64_t i = 0; i < steps && !ctx.hasFailed(); ++i) {
    int64_t t = reverse ? steps - 1 - i : i;
    Value xw = ctx.create<kiln::SliceOp>(projected, ArrayRef<int64_t>{t * b, 0},
                                         ArrayRef<int64_t>{b, g * h},
                                         ArrayRef<int64_t>{1, 1});
    Value newState, newCell;
    switch (layer.kind) {
    case RecurrentKind::Rnn:
      newState = activate(0, addOrZero(ctx, xw, stateTimes(state, rT)));
      break;
    case RecurrentKind::Gru: {
      Value hr = layer.linearBeforeReset ? stateTimes(state, rT)
                                         : stateTimes(state, rZRT);
      Value zrPre = addOrZero(ctx, sliceColumns(ctx, xw, 0, 2 * h),
                              hr ? sliceColumns(ctx, hr, 0, 2 * h) : Value());
      Value z = activate(0, sliceColumns(ctx, zrPre, 0, h));
      Value r = activate(0, sliceColumns(ctx, zrPre, h, h));
      Value candidatePre;
      if (layer.linearBeforeReset) {
        // r * (H * Rh^T + Rbh)
        Value rec =
            addOrZero(ctx, hr ? sliceColumns(ctx, hr, 2 * h, h) : Value(),
                      recurrentHiddenBias);
        candidatePre =
            addOrZero(ctx, sliceColumns(ctx, xw, 2 * h, h),
                      rec ? ctx.create<kiln::MulOp>(r, rec) : Value());
      } else {
        // (r * H) * Rh^T
        Value reset = mulOrZero(r, state);
        candidatePre = addOrZero(ctx, sliceColumns(ctx, xw, 2 * h, h),
                                 stateTimes(reset, rHT));
      }
      Value candidate = activate(1, candidatePre);
      // (1 - z) * h~ + z * H
      Value oneMinusZ = ctx.create<kiln::SubOp>(scalar(ctx, 1.0, type), z);
      newState = addOrZero(ctx, ctx.create<kiln::MulOp>(oneMinusZ, candidate),
                           mulOrZero(z, state));
      break;
    }
    case RecurrentKind::Lstm: {
      Value pre = addOrZero(ctx, xw, stateTimes(state, rT));
      Value iPre = sliceColumns(ctx, pre, 0, h);
      Value oPre = sliceColumns(ctx, pre, h, h);
      Value fPre = sliceColumns(ctx, pre, 2 * h, h);
      Value cPre = sliceColumns(ctx, pre, 3 * h, h);
      if (pI && cell) {
        iPre = ctx.create<kiln::AddOp>(iPre, ctx.create<kiln::MulOp>(pI, cell));
        fPre = ctx.create<kiln::AddOp>(fPre, ctx.create<kiln::MulOp>(pF, cell));
      }
      Value iGate = activate(0, iPre);
      Value fGate = layer.inputForget
                        ? ctx.create<kiln::SubOp>(scalar(ctx, 1.0, type), iGate)
                        : activate(0, fPre);
      Value cGate = activate(1, cPre);
      newCell = addOrZero(ctx, mulOrZero(fGate, cell),
                          ctx.create<kiln::MulOp>(iGate, cGate));
      if (pO)
        oPre =
            ctx.create<kiln::AddOp>(oPre, ctx.create<kiln::MulOp>(pO, newCell));
      Value oGate = activate(0, oPre);
      newState = ctx.create<kiln::MulOp>(
          oGate, applyActivation(ctx, acts[2], newCell, type));
      break;
    }
    }
    if (!newState)
      return result;

    if (in.lens) {
      // Steps past a sequence's length keep its state and output zeros.
      Value inside = ctx.create<kiln::CompareOp>(
          kiln::ComparePredicate::gt, in.lens,
          scalar(ctx, static_cast<double>(t),
                 cast<RankedTensorType>(in.lens.getType()).getElementType()));
      result.outputs[t] = ctx.create<kiln::SelectOp>(inside, newState, zero);
      newState =
          ctx.create<kiln::SelectOp>(inside, newState, state ? state : zero);
      if (newCell)
        newCell =
            ctx.create<kiln::SelectOp>(inside, newCell, cell ? cell : zero);
    } else {
      result.outputs[t] = newState;
    }
    state = newState;
    cell = newCell;
  }
  result.hidden = state;
  result.cell = cell;
  return result;
}

/// A [batch, hidden] state, or zeros for a null one.
static Value materializeState(NodeContext &ctx, Value state,
                              const RecurrentLayer &layer) {
  if (state)
    return state;
  return zerosConstant(ctx, {layer.batch, layer.hidden}, layer.elementType);
}

static void importRecurrent(NodeContext &ctx, RecurrentKind kind) {
  int64_t maxInputs = kind == RecurrentKind::Lstm ? 8 : 6;
  if (!ctx.checkNumInputs(3, maxInputs))
    return;
  RecurrentLayer layer;
  layer.kind = kind;
  layer.gates = kind == RecurrentKind::Rnn   ? 1
                : kind == RecurrentKind::Gru ? 3
                                             : 4;

  std::string direction = ctx.getString("direction", "forward");
  int64_t layout = ctx.getOpset() >= 14 ? ctx.getInt("layout", 0) : 0;
  bool hasHiddenSize = ctx.hasAttr("hidden_size");
  int64_t hiddenSize = ctx.getInt("hidden_size", 0);
  if (ctx.hasAttr("clip")) {
    float clip = ctx.getFloat("clip", 0.0f);
    if (!ctx.hasFailed() && !(clip >= 0.0f)) {
      ctx.emitError() << "clip must be a non-negative number, got " << clip;
      return;
    }
    layer.clip = clip;
  }
  if (kind == RecurrentKind::Lstm)
    layer.inputForget = ctx.getInt("input_forget", 0) != 0;
  if (kind == RecurrentKind::Gru)
    layer.linearBeforeReset = ctx.getInt("linear_before_reset", 0) != 0;
  if (ctx.hasFailed())
    return;
  if (direction == "forward" || direction == "reverse") {
    layer.numDirections = 1;
    layer.reverse = direction == "reverse";
  } else if (direction == "bidirectional") {
    layer.numDirections = 2;
    layer.reverse = false;
  } else {
    ctx.emitError() << "direction must be \"forward\", \"reverse\" or "
                       "\"bidirectional\", got \""
                    << direction << "\"";
    return;
  }
  if (layout != 0 && layout != 1) {
    ctx.emitError() << "layout must be 0 or 1, got " << layout;
    return;
  }
  // Opset 1's output_sequence only says whether Y is wanted: Y is produced
  // whenever it is used.

  Operands in;
  Value x = ctx.getInput(0);
  in.w = ctx.getInput(1);
  in.r = ctx.getInput(2);
  if (!x || !in.w || !in.r)
    return;
  auto xType = cast<RankedTensorType>(x.getType());
  if (!isa<FloatType>(xType.getElementType())) {
    ctx.emitError() << "X must have a floating-point element type, got "
                    << xType.getElementType();
    return;
  }
  layer.elementType = xType.getElementType();
  for (auto [value, name] :
       {std::pair{x, "X"}, std::pair{in.w, "W"}, std::pair{in.r, "R"}}) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != 3) {
      ctx.emitError() << name << " must be 3-D, got " << type;
      return;
    }
    if (!type.hasStaticShape()) {
      ctx.emitUnsupported() << name << " has a dynamic shape " << type;
      return;
    }
    if (type.getElementType() != layer.elementType) {
      ctx.emitError() << name << " must have X's element type "
                      << layer.elementType << ", got " << type;
      return;
    }
  }
  layer.seqLength = xType.getDimSize(layout == 0 ? 0 : 1);
  layer.batch = xType.getDimSize(layout == 0 ? 1 : 0);
  layer.inputSize = xType.getDimSize(2);
  auto rShape = cast<RankedTensorType>(in.r.getType()).getShape();
  layer.hidden = hasHiddenSize ? hiddenSize : rShape[2];
  if (layer.hidden <= 0) {
    ctx.emitError() << "hidden_size must be positive, got " << layer.hidden;
    return;
  }
  if (layer.seqLength == 0) {
    ctx.emitUnsupported() << "an empty sequence (seq_length 0)";
    return;
  }
  int64_t d = layer.numDirections, g = layer.gates, h = layer.hidden,
          bsz = layer.batch;
  // Keeps 2 * gates * hidden far from overflow; W and R are checked below.
  if (h > (int64_t(1) << 40)) {
    ctx.emitError() << "hidden_size " << h << " is too large";
    return;
  }
  if (!checkShape(ctx, in.w, {d, g * h, layer.inputSize}, "W") ||
      !checkShape(ctx, in.r, {d, g * h, h}, "R"))
    return;
  if (!parseActivations(ctx, layer))
    return;

  auto getOptional = [&](unsigned index, ArrayRef<int64_t> shape,
                         StringRef name) -> std::optional<Value> {
    if (!ctx.hasInput(index))
      return Value();
    Value value = ctx.getInput(index);
    if (!value)
      return std::nullopt;
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getElementType() != layer.elementType) {
      ctx.emitError() << name << " must have X's element type "
                      << layer.elementType << ", got " << type;
      return std::nullopt;
    }
    if (!checkShape(ctx, value, shape, name))
      return std::nullopt;
    return value;
  };
  SmallVector<int64_t> stateShape = layout == 0
                                        ? SmallVector<int64_t>{d, bsz, h}
                                        : SmallVector<int64_t>{bsz, d, h};
  auto bias = getOptional(3, {d, 2 * g * h}, "B");
  auto initialH = getOptional(5, stateShape, "initial_h");
  std::optional<Value> initialC = Value(), peepholes = Value();
  if (kind == RecurrentKind::Lstm) {
    initialC = getOptional(6, stateShape, "initial_c");
    peepholes = getOptional(7, {d, 3 * h}, "P");
  }
  if (!bias || !initialH || !initialC || !peepholes)
    return;
  in.bias = *bias;
  in.peepholes = *peepholes;
  auto toDirectionMajor = [&](Value state) -> Value {
    if (!state || layout == 0)
      return state;
    return ctx.create<kiln::TransposeOp>(state, ArrayRef<int64_t>{1, 0, 2});
  };
  in.initialH = toDirectionMajor(*initialH);
  in.initialC = toDirectionMajor(*initialC);

  // sequence_lens: none, or all full length, needs no masking.
  if (ctx.hasInput(4)) {
    Value lens = ctx.getInput(4);
    if (!lens)
      return;
    auto lensType = cast<RankedTensorType>(lens.getType());
    if (!lensType.getElementType().isSignlessInteger() ||
        lensType.getShape() != ArrayRef<int64_t>{bsz}) {
      ctx.emitError() << "sequence_lens must be an integer tensor of shape ["
                      << bsz << "], got " << lensType;
      return;
    }
    bool full = false;
    if (const HostTensor *known = ctx.getConstantInput(4)) {
      full = true;
      for (int64_t i = 0; i < known->size(); ++i) {
        int64_t len = known->getInt(i);
        if (len < 0 || len > layer.seqLength) {
          ctx.emitError() << "sequence_lens[" << i << "] = " << len
                          << " is outside [0, " << layer.seqLength << "]";
          return;
        }
        full &= len == layer.seqLength;
      }
    }
    if (!full)
      in.lens = ctx.createReshape(lens, {bsz, 1});
  }
  if (ctx.hasFailed())
    return;

  // X as [T * batch, input], time-major.
  if (layout == 1)
    x = ctx.create<kiln::TransposeOp>(x, ArrayRef<int64_t>{1, 0, 2});
  in.x = ctx.createReshape(x, {layer.seqLength * bsz, layer.inputSize});

  SmallVector<DirectionResult> results;
  for (int64_t dir = 0; dir < d; ++dir) {
    bool reverse = d == 2 ? dir == 1 : layer.reverse;
    results.push_back(unrollDirection(ctx, layer, in, dir, reverse));
    if (ctx.hasFailed())
      return;
  }

  OpBuilder &builder = ctx.getBuilder();
  // Concatenates in groups of at most kConcatGroup: one concat of hundreds
  // of steps makes one-shot bufferization's alias analysis superlinear.
  std::function<Value(ArrayRef<Value>, int64_t)> stack =
      [&](ArrayRef<Value> parts, int64_t axis) -> Value {
    constexpr size_t kConcatGroup = 16;
    if (parts.size() == 1)
      return parts[0];
    if (parts.size() <= kConcatGroup)
      return ctx.create<kiln::ConcatOp>(ValueRange(parts),
                                        builder.getI64IntegerAttr(axis));
    SmallVector<Value> groups;
    for (size_t i = 0; i < parts.size(); i += kConcatGroup)
      groups.push_back(stack(
          parts.slice(i, std::min(kConcatGroup, parts.size() - i)), axis));
    return stack(groups, axis);
  };
  auto finalState = [&](bool isCell) -> Value {
    SmallVector<Value> parts;
    for (DirectionResult &r : results)
      parts.push_back(ctx.createReshape(
          materializeState(ctx, isCell ? r.cell : r.hidden, layer),
          {1, bsz, h}));
    Value stacked = stack(parts, 0); // [D, batch, H]
    if (layout == 1)
      stacked =
          ctx.create<kiln::TransposeOp>(stacked, ArrayRef<int64_t>{1, 0, 2});
    return stacked;
  };

  if (ctx.isOutputUsed(0)) {
    // Y: [T, D, batch, H] (layout 1: [batch, T, D, H]).
    SmallVector<Value> perDirection;
    for (DirectionResult &r : results) {
      SmallVector<Value> steps;
      for (Value step : r.outputs)
        steps.push_back(ctx.createReshape(step, {1, 1, bsz, h}));
      perDirection.push_back(stack(steps, 0));
    }
    Value y = stack(perDirection, 1);
    if (layout == 1)
      y = ctx.create<kiln::TransposeOp>(y, ArrayRef<int64_t>{2, 0, 1, 3});
    ctx.setOutput(0, y);
  }
  if (ctx.isOutputUsed(1))
    ctx.setOutput(1, finalState(false));
  if (kind == RecurrentKind::Lstm && ctx.isOutputUsed(2))
    ctx.setOutput(2, finalState(true));
}

static void importRNN(NodeContext &ctx) {
  importRecurrent(ctx, RecurrentKind::Rnn);
}
static void importGRU(NodeContext &ctx) {
  importRecurrent(ctx, RecurrentKind::Gru);
}
static void importLSTM(NodeContext &ctx) {
  importRecurrent(ctx, RecurrentKind::Lstm);
}

void mlir::kiln::onnx::addRecurrentRules(ImportRuleMap &rules) {
  rules["RNN"] = importRNN;
  rules["GRU"] = importGRU;
  rules["LSTM"] = importLSTM;
}
