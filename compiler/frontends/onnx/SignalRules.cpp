//===- SignalRules.cpp - ONNX signal processing operators -----------------===//
//
// Part of Kiln. The window generators and MelWeightMatrix depend only on
// sizes known at import time, so they become HostTensor constants computed
// in double and rounded once to the output type. (The ONNX reference
// computes Hann and Hamming in the output type, so its float16 and float32
// windows are less accurate; MelWeightMatrix follows the reference's
// arithmetic step by step, since its bin numbers are floored.) DFT is a pair of
// matrix products of the signal with import-time cosine and sine matrices (an
// O(n^2) transform, exact up to the float accumulation); STFT gathers the
// frames at import-time offsets, applies the window and reuses the DFT.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"
#include "compiler/frontends/onnx/OnnxModel.h"

#include "dialects/kiln/IR/KilnOps.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln::onnx;

/// Largest import-time constant (window, mel matrix, DFT matrix, frame
/// indices) a rule builds: a model cannot make the importer allocate more.
static constexpr int64_t kMaxSignalConstant = int64_t(1) << 24;

static constexpr double kPi = 3.14159265358979323846;

/// A scalar (or one-element) integer input known at import time.
static std::optional<int64_t> requireScalarInt(NodeContext &ctx, unsigned i,
                                               StringRef what) {
  auto values = ctx.requireConstantInts(i, what);
  if (!values)
    return std::nullopt;
  if (values->size() != 1) {
    ctx.emitError() << what << " must be a scalar, not a tensor of "
                    << values->size() << " elements";
    return std::nullopt;
  }
  return values->front();
}

/// A 0/1 attribute (`periodic`, `inverse`, `onesided`).
static std::optional<bool> getFlag(NodeContext &ctx, StringRef name,
                                   int64_t defaultValue) {
  int64_t value = ctx.getInt(name, defaultValue);
  if (ctx.hasFailed())
    return std::nullopt;
  if (value != 0 && value != 1) {
    ctx.emitError() << "attribute '" << name << "' must be 0 or 1, not "
                    << value;
    return std::nullopt;
  }
  return value == 1;
}

/// The numeric element type named by the `output_datatype` attribute.
static Type getOutputDataType(NodeContext &ctx) {
  int64_t dataType = ctx.getInt("output_datatype", /*FLOAT=*/1);
  if (ctx.hasFailed())
    return {};
  Type type;
  if (dataType >= INT32_MIN && dataType <= INT32_MAX)
    type = getElementType(ctx.getContext(), static_cast<int32_t>(dataType));
  if (!type || type.isInteger(1)) {
    ctx.emitError() << "output_datatype " << dataType
                    << " is not a numeric data type";
    return {};
  }
  return type;
}

/// Sets output 0 to an import-time constant: kept on the host for folding
/// when small, a kiln.constant otherwise.
static void setConstantOutput(NodeContext &ctx, const HostTensor &value) {
  if (value.size() <= kMaxHostElements)
    ctx.setOutput(0, value);
  else
    ctx.setOutput(0, ctx.createConstant(value));
}

//===----------------------------------------------------------------------===//
// HannWindow, HammingWindow, BlackmanWindow
//===----------------------------------------------------------------------===//

namespace {
enum class WindowKind { Hann, Hamming, Blackman };
} // namespace

/// Sample `n` of a window whose cosines have period `period` samples, with
/// the reference's coefficients and order of operations, so that integer
/// output types truncate the same values.
static double windowSample(WindowKind kind, int64_t n, int64_t period) {
  double phase = 2 * kPi * static_cast<double>(n) / static_cast<double>(period);
  switch (kind) {
  case WindowKind::Hann: {
    double s = std::sin(phase / 2);
    return s * s;
  }
  case WindowKind::Hamming: {
    double alpha = 25.0 / 46.0, beta = 1 - alpha;
    return alpha - std::cos(phase) * beta;
  }
  case WindowKind::Blackman:
    return (std::cos(phase) * -0.5 + std::cos(2 * phase) * 0.08) + 0.42;
  }
  return 0;
}

static void importWindow(NodeContext &ctx, WindowKind kind) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  std::optional<int64_t> size = requireScalarInt(ctx, 0, "the window size");
  std::optional<bool> periodic = getFlag(ctx, "periodic", 1);
  Type outputType = getOutputDataType(ctx);
  if (!size || !periodic || !outputType)
    return;
  if (*size < 0 || *size > kMaxSignalConstant) {
    ctx.emitError() << "the window size must be in [0, " << kMaxSignalConstant
                    << "], not " << *size;
    return;
  }
  // A periodic window is the first `size` samples of a symmetric window of
  // `size + 1`. (A symmetric window of one sample divides 0 by 0, as the
  // reference does.)
  int64_t period = *periodic ? *size : *size - 1;
  HostTensor window(outputType, {*size});
  for (int64_t n = 0; n < *size; ++n)
    window.setFromDouble(n, windowSample(kind, n, period));
  setConstantOutput(ctx, window);
}

static void importHannWindow(NodeContext &ctx) {
  importWindow(ctx, WindowKind::Hann);
}
static void importHammingWindow(NodeContext &ctx) {
  importWindow(ctx, WindowKind::Hamming);
}
static void importBlackmanWindow(NodeContext &ctx) {
  importWindow(ctx, WindowKind::Blackman);
}

//===----------------------------------------------------------------------===//
// MelWeightMatrix
//===----------------------------------------------------------------------===//

/// `value` rounded to the precision of `type`, as numpy computes in it.
static double roundTo(FloatType type, double value) {
  llvm::APFloat rounded(value);
  bool losesInfo;
  rounded.convert(type.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven,
                  &losesInfo);
  return rounded.convertToDouble();
}

/// numpy's float floor division (npy_divmod), which the reference uses to
/// turn frequencies into bin numbers.
static double floorDivide(double a, double b) {
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0)))
    div -= 1;
  if (div == 0)
    return std::copysign(0.0, a / b);
  double floorDiv = std::floor(div);
  if (div - floorDiv > 0.5)
    floorDiv += 1;
  return floorDiv;
}

/// A float scalar input (an edge frequency) known at import time.
static std::optional<double> requireScalarFloat(NodeContext &ctx, unsigned i,
                                                StringRef what,
                                                FloatType &type) {
  const HostTensor *value = ctx.getConstantInput(i);
  if (ctx.hasFailed())
    return std::nullopt;
  if (!value) {
    ctx.emitUnsupported() << what
                          << " must be a float scalar known at compile time";
    return std::nullopt;
  }
  type = dyn_cast<FloatType>(value->getElementType());
  if (!type || value->size() != 1) {
    ctx.emitError() << what << " must be a float scalar, not "
                    << value->getType();
    return std::nullopt;
  }
  return value->getDouble(0);
}

/// The mel-scale value of `hertz` as the reference computes it: the
/// division and log1p in the input's float type, then double.
static double hertzToMel(FloatType type, double hertz) {
  double ratio = roundTo(type, hertz / 700);
  double log = roundTo(type, std::log1p(ratio));
  return roundTo(type, 2595 * log) / std::log(10.0);
}

static void importMelWeightMatrix(NodeContext &ctx) {
  if (!ctx.checkNumInputs(5, 5))
    return;
  std::optional<int64_t> numMelBins = requireScalarInt(ctx, 0, "num_mel_bins");
  std::optional<int64_t> dftLength = requireScalarInt(ctx, 1, "dft_length");
  std::optional<int64_t> sampleRate = requireScalarInt(ctx, 2, "sample_rate");
  FloatType lowerType, upperType;
  std::optional<double> lower =
      requireScalarFloat(ctx, 3, "lower_edge_hertz", lowerType);
  std::optional<double> upper =
      requireScalarFloat(ctx, 4, "upper_edge_hertz", upperType);
  Type outputType = getOutputDataType(ctx);
  if (!numMelBins || !dftLength || !sampleRate || !lower || !upper ||
      !outputType)
    return;
  if (*numMelBins < 0 || *dftLength < 0 || *sampleRate <= 0) {
    ctx.emitError() << "num_mel_bins (" << *numMelBins << ") and dft_length ("
                    << *dftLength << ") must not be negative and sample_rate ("
                    << *sampleRate << ") must be positive";
    return;
  }
  int64_t spectrogramBins = *dftLength / 2 + 1;
  if (*numMelBins > kMaxSignalConstant ||
      spectrogramBins >
          kMaxSignalConstant / std::max<int64_t>(*numMelBins, 1)) {
    ctx.emitUnsupported() << "a mel weight matrix of " << spectrogramBins << "x"
                          << *numMelBins << " elements";
    return;
  }

  // Band edges: num_mel_bins + 2 points evenly spaced on the mel scale,
  // back to hertz, then to spectrogram bin numbers.
  double lowMel = hertzToMel(lowerType, *lower);
  double highMel = hertzToMel(upperType, *upper);
  double melStep = (highMel - lowMel) / static_cast<double>(*numMelBins + 2);
  std::vector<int64_t> edges(*numMelBins + 2);
  for (int64_t i = 0; i < *numMelBins + 2; ++i) {
    double mel = static_cast<double>(i) * melStep + lowMel;
    double hertz = 700 * std::expm1(mel / 2595 * std::log(10.0));
    double bin = floorDivide(static_cast<double>(*dftLength + 1) * hertz,
                             static_cast<double>(*sampleRate));
    if (!std::isfinite(bin) || std::abs(bin) > 9.0e18) {
      ctx.emitError() << "mel band edge " << i << " is not a finite bin";
      return;
    }
    edges[i] = static_cast<int64_t>(bin);
  }

  // Triangular filters: rising from the left edge to the center, falling
  // to the right edge.
  HostTensor output(outputType, {spectrogramBins, *numMelBins});
  std::vector<double> weights(spectrogramBins * *numMelBins, 0.0);
  auto inRange = [&](int64_t bin) {
    if (bin >= 0 && bin < spectrogramBins)
      return true;
    ctx.emitError() << "mel band edge bin " << bin
                    << " is outside the spectrogram's " << spectrogramBins
                    << " bins";
    return false;
  };
  for (int64_t m = 0; m < *numMelBins; ++m) {
    int64_t left = edges[m], center = edges[m + 1], right = edges[m + 2];
    auto at = [&](int64_t bin) -> double & {
      return weights[bin * *numMelBins + m];
    };
    if (center == left) {
      if (!inRange(center))
        return;
      at(center) = 1;
    } else if (center > left) {
      if (!inRange(left) || !inRange(center))
        return;
      for (int64_t j = left; j <= center; ++j)
        at(j) =
            static_cast<double>(j - left) / static_cast<double>(center - left);
    }
    if (right > center) {
      if (!inRange(center) || !inRange(right - 1))
        return;
      for (int64_t j = center; j < right; ++j)
        at(j) = static_cast<double>(right - j) /
                static_cast<double>(right - center);
    }
  }
  for (auto [i, weight] : llvm::enumerate(weights))
    output.setFromDouble(i, weight);
  setConstantOutput(ctx, output);
}

//===----------------------------------------------------------------------===//
// DFT
//===----------------------------------------------------------------------===//

/// cos and sin of 2*pi*num/den, exact at multiples of pi/2 so that sums
/// which cancel in exact arithmetic (the imaginary part at DC and Nyquist)
/// come out as exact zeros.
static std::pair<double, double> unitCircle(int64_t num, int64_t den) {
  num %= den;
  if ((4 * num) % den == 0) {
    static const double cosines[] = {1, 0, -1, 0}, sines[] = {0, 1, 0, -1};
    int64_t quadrant = 4 * num / den;
    return {cosines[quadrant], sines[quadrant]};
  }
  double angle = 2 * kPi * static_cast<double>(num) / static_cast<double>(den);
  return {std::cos(angle), std::sin(angle)};
}

/// A rows x cols matrix constant of `type` whose element (r, c) is f(r, c).
template <typename F>
static Value createMatrix(NodeContext &ctx, Type type, int64_t rows,
                          int64_t cols, F f) {
  // Adding 0.0 turns -0 (a sign times a zero sine) into 0 for readable IR.
  HostTensor matrix(type, {rows, cols});
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      matrix.setFromDouble(r * cols + c, f(r, c) + 0.0);
  return ctx.createConstant(matrix);
}

/// The first `size` entries of `value` along `axis`.
static Value sliceFront(NodeContext &ctx, Value value, int64_t axis,
                        int64_t start, int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  if (start == 0 && type.getDimSize(axis) == size)
    return value;
  SmallVector<int64_t> starts(type.getRank(), 0);
  SmallVector<int64_t> sizes(type.getShape());
  SmallVector<int64_t> steps(type.getRank(), 1);
  starts[axis] = start;
  sizes[axis] = size;
  return ctx.create<kiln::SliceOp>(value, starts, sizes, steps);
}

/// Checks that `type` is a signal DFT and STFT accept: a static float
/// tensor of rank >= `minRank` whose last dimension is 1 (real) or 2
/// (real and imaginary parts).
static LogicalResult checkSignalType(NodeContext &ctx, RankedTensorType type,
                                     int64_t minRank) {
  if (!isa<FloatType>(type.getElementType()) || !type.hasStaticShape() ||
      type.getRank() < minRank)
    return ctx.emitError() << "the signal must be a float tensor of rank >= "
                           << minRank << " with a static shape, not " << type;
  int64_t last = type.getShape().back();
  if (last != 1 && last != 2)
    return ctx.emitError() << "the signal's last dimension must be 1 (real) "
                              "or 2 (complex), not "
                           << last;
  for (int64_t d : type.getShape().drop_back())
    if (d == 0)
      return ctx.emitError() << "the signal " << type << " is empty";
  return success();
}

namespace {
/// What a DFT computes along one axis of a [..., 1 or 2] signal.
struct DftParams {
  int64_t axis;   // normalized, < rank - 1
  int64_t length; // dft_length
  bool inverse;
  bool onesided;
};
} // namespace

/// The DFT of `x` along `params.axis` as matrix products with the last
/// dimension of the signal's real and imaginary parts.
static Value buildDft(NodeContext &ctx, Value x, const DftParams &params) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  int64_t rank = type.getRank();
  // Half precision accumulates in f32; the result is rounded back once.
  Type computeType = elementType.getIntOrFloatBitWidth() < 32
                         ? Float32Type::get(ctx.getContext())
                         : elementType;
  if (computeType != elementType)
    x = ctx.createWithType<kiln::CastOp>(type.clone(computeType), x);

  // Move the transformed axis next to the real/imaginary dimension.
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != params.axis)
      perm.push_back(d);
  perm.push_back(params.axis);
  perm.push_back(rank - 1);
  bool transposed = params.axis != rank - 2;
  if (transposed)
    x = ctx.create<kiln::TransposeOp>(x, perm);
  if (!x)
    return {};
  ArrayRef<int64_t> shape = cast<RankedTensorType>(x.getType()).getShape();
  SmallVector<int64_t> partShape(shape.drop_back());
  int64_t n = shape[rank - 2], length = params.length;
  bool complex = shape.back() == 2;

  // Input samples (frequencies for a one-sided inverse) past those the
  // transform reads are dropped; missing ones count as zeros, so the
  // matrices simply have no rows for them.
  bool irfft = params.inverse && params.onesided;
  int64_t used = std::min(n, irfft ? length / 2 + 1 : length);
  int64_t outputs =
      irfft || params.inverse || !params.onesided ? length : length / 2 + 1;
  if (used > kMaxSignalConstant / outputs) {
    ctx.emitUnsupported() << "a DFT of " << length << " points on " << used
                          << " samples (its matrices are too large)";
    return {};
  }
  partShape.back() = used;
  auto part = [&](int64_t index) {
    return ctx.createReshape(sliceFront(ctx,
                                        sliceFront(ctx, x, rank - 2, 0, used),
                                        rank - 1, index, 1),
                             partShape);
  };
  Value re = part(0), im = complex ? part(1) : Value();

  double scale = params.inverse ? 1.0 / static_cast<double>(length) : 1.0;
  Value yr, yi;
  if (irfft) {
    // Hermitian symmetry: bins 1 .. ceil(length/2)-1 stand for their
    // mirror images too; the imaginary parts of DC and Nyquist drop out.
    auto weight = [&](int64_t k) {
      return k == 0 || 2 * k == length ? scale : 2 * scale;
    };
    Value cosines =
        createMatrix(ctx, computeType, used, length, [&](int64_t k, int64_t t) {
          return weight(k) * unitCircle(k * t, length).first;
        });
    yr = ctx.create<kiln::MatMulOp>(re, cosines);
    if (im) {
      Value sines = createMatrix(
          ctx, computeType, used, length, [&](int64_t k, int64_t t) {
            return -weight(k) * unitCircle(k * t, length).second;
          });
      yr = ctx.create<kiln::AddOp>(yr, ctx.create<kiln::MatMulOp>(im, sines));
    }
  } else {
    // y[k] = sum_t x[t] * (cos(w) + i * sign * sin(w)), w = 2*pi*k*t/length.
    double sign = params.inverse ? 1 : -1;
    Value cosines = createMatrix(
        ctx, computeType, used, outputs, [&](int64_t t, int64_t k) {
          return scale * unitCircle(k * t, length).first;
        });
    Value sines = createMatrix(
        ctx, computeType, used, outputs, [&](int64_t t, int64_t k) {
          return sign * scale * unitCircle(k * t, length).second;
        });
    yr = ctx.create<kiln::MatMulOp>(re, cosines);
    yi = ctx.create<kiln::MatMulOp>(re, sines);
    if (im) {
      yr = ctx.create<kiln::SubOp>(yr, ctx.create<kiln::MatMulOp>(im, sines));
      yi = ctx.create<kiln::AddOp>(yi, ctx.create<kiln::MatMulOp>(im, cosines));
    }
  }

  SmallVector<int64_t> unitShape(shape);
  unitShape[rank - 2] = outputs;
  unitShape[rank - 1] = 1;
  Value y = ctx.createReshape(yr, unitShape);
  if (yi)
    y = ctx.create<kiln::ConcatOp>(
        ValueRange{y, ctx.createReshape(yi, unitShape)}, int64_t(rank - 1));
  if (transposed && y) {
    SmallVector<int64_t> inverse(rank);
    for (int64_t d = 0; d < rank; ++d)
      inverse[perm[d]] = d;
    y = ctx.create<kiln::TransposeOp>(y, inverse);
  }
  if (computeType != elementType && y)
    y = ctx.createWithType<kiln::CastOp>(
        cast<RankedTensorType>(y.getType()).clone(elementType), y);
  return y;
}

static void importDft(NodeContext &ctx) {
  // Opset 20 moved `axis` from an attribute (default 1) to an input
  // (default -2).
  bool axisInput = ctx.getOpset() >= 20;
  if (!ctx.checkNumInputs(1, axisInput ? 3 : 2))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type || failed(checkSignalType(ctx, type, 2)))
    return;
  int64_t rank = type.getRank();

  std::optional<int64_t> axis = -2;
  if (!axisInput)
    axis = ctx.getInt("axis", 1);
  else if (ctx.hasInput(2))
    axis = requireScalarInt(ctx, 2, "axis");
  std::optional<bool> inverse = getFlag(ctx, "inverse", 0);
  std::optional<bool> onesided = getFlag(ctx, "onesided", 0);
  if (!axis || !inverse || !onesided || ctx.hasFailed())
    return;
  std::optional<int64_t> normalized = ctx.normalizeAxis(*axis, rank);
  if (!normalized)
    return;
  if (*normalized == rank - 1) {
    ctx.emitError() << "axis " << *axis
                    << " is the real/imaginary dimension; the DFT axis must "
                       "be in [-rank, -2] or [0, rank - 2]";
    return;
  }

  // The default length reads the whole axis; a one-sided inverse
  // (irfft) restores an even-length signal from its n/2 + 1 bins.
  int64_t n = type.getDimSize(*normalized);
  std::optional<int64_t> length = *inverse && *onesided ? 2 * (n - 1) : n;
  if (ctx.hasInput(1))
    length = requireScalarInt(ctx, 1, "dft_length");
  if (!length)
    return;
  if (*length < 1 || *length > kMaxSignalConstant) {
    ctx.emitError() << "dft_length must be in [1, " << kMaxSignalConstant
                    << "], not " << *length;
    return;
  }
  Value x = ctx.getInput(0);
  ctx.setOutput(0,
                buildDft(ctx, x, {*normalized, *length, *inverse, *onesided}));
}

//===----------------------------------------------------------------------===//
// STFT
//===----------------------------------------------------------------------===//

static void importStft(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 4))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  if (type.getRank() != 3) {
    ctx.emitError() << "the signal must be [batch, length, 1 or 2], not "
                    << type;
    return;
  }
  if (failed(checkSignalType(ctx, type, 3)))
    return;
  int64_t signalLength = type.getDimSize(1);
  std::optional<int64_t> step = requireScalarInt(ctx, 1, "frame_step");
  std::optional<bool> onesided = getFlag(ctx, "onesided", 1);
  if (!step || !onesided)
    return;
  if (*step < 1) {
    ctx.emitError() << "frame_step must be positive, not " << *step;
    return;
  }

  Value window;
  std::optional<int64_t> frameLength = signalLength;
  if (ctx.hasInput(2)) {
    RankedTensorType windowType = ctx.getInputType(2);
    if (!windowType)
      return;
    if (windowType.getRank() != 1 ||
        windowType.getElementType() != type.getElementType() ||
        !windowType.hasStaticShape()) {
      ctx.emitError() << "the window must be a 1-D tensor of "
                      << type.getElementType() << ", not " << windowType;
      return;
    }
    window = ctx.getInput(2);
    frameLength = windowType.getDimSize(0);
  }
  if (ctx.hasInput(3)) {
    std::optional<int64_t> given = requireScalarInt(ctx, 3, "frame_length");
    if (!given)
      return;
    if (window && *given != *frameLength) {
      ctx.emitError() << "frame_length " << *given
                      << " differs from the window's length " << *frameLength;
      return;
    }
    frameLength = given;
  }
  if (*frameLength < 1 || *frameLength > signalLength) {
    ctx.emitError() << "frame_length " << *frameLength
                    << " must be in [1, signal length " << signalLength << "]";
    return;
  }

  // Frame f holds samples f * step .. f * step + frameLength - 1: one
  // gather along the signal axis with import-time indices [frames, length].
  int64_t frames = 1 + (signalLength - *frameLength) / *step;
  if (frames > kMaxSignalConstant / *frameLength) {
    ctx.emitUnsupported() << frames << " frames of " << *frameLength
                          << " samples";
    return;
  }
  HostTensor indices(IntegerType::get(ctx.getContext(), 64),
                     {frames, *frameLength});
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t t = 0; t < *frameLength; ++t)
      indices.setFromInt(f * *frameLength + t, f * *step + t);
  Value x = ctx.create<kiln::GatherOp>(ctx.getInput(0),
                                       ctx.createConstant(indices), int64_t(1));
  if (window)
    x = ctx.create<kiln::MulOp>(
        x, ctx.createReshape(window, {*frameLength, int64_t(1)}));
  if (!x)
    return;
  ctx.setOutput(
      0, buildDft(ctx, x,
                  {/*axis=*/2, *frameLength, /*inverse=*/false, *onesided}));
}

void mlir::kiln::onnx::addSignalRules(ImportRuleMap &rules) {
  rules["HannWindow"] = importHannWindow;
  rules["HammingWindow"] = importHammingWindow;
  rules["BlackmanWindow"] = importBlackmanWindow;
  rules["MelWeightMatrix"] = importMelWeightMatrix;
  rules["DFT"] = importDft;
  rules["STFT"] = importStft;
}
