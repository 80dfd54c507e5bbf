//===- HostTensor.cpp - Small constants evaluated during import -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/HostTensor.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir::kiln::onnx;
using namespace mlir;

static int64_t elementCount(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

HostTensor::HostTensor(Type elementType, llvm::ArrayRef<int64_t> shape)
    : elementType(elementType), shape(shape) {
  if (isFloat())
    floats.assign(elementCount(shape), 0.0);
  else
    ints.assign(elementCount(shape), 0);
}

HostTensor HostTensor::ofInt64s(MLIRContext *context,
                                llvm::ArrayRef<int64_t> values,
                                llvm::ArrayRef<int64_t> shape) {
  HostTensor result(IntegerType::get(context, 64), shape);
  result.ints.assign(values.begin(), values.end());
  return result;
}

RankedTensorType HostTensor::getType() const {
  return RankedTensorType::get(shape, elementType);
}

std::vector<int64_t> HostTensor::toInts() const {
  std::vector<int64_t> result(size());
  for (int64_t i = 0; i < size(); ++i)
    result[i] = getInt(i);
  return result;
}

int64_t HostTensor::normalizeInt(int64_t value) const {
  auto intType = cast<IntegerType>(elementType);
  unsigned width = intType.getWidth();
  if (width == 1)
    return value != 0;
  if (width >= 64)
    return value;
  APInt bits(width, static_cast<uint64_t>(value), /*isSigned=*/true);
  return intType.isUnsigned() ? static_cast<int64_t>(bits.getZExtValue())
                              : bits.getSExtValue();
}

void HostTensor::setFromInt(int64_t i, int64_t value) {
  if (isFloat())
    floats[i] = static_cast<double>(value);
  else
    ints[i] = normalizeInt(value);
}

void HostTensor::setFromDouble(int64_t i, double value) {
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    // Round to the element type so host arithmetic matches the device's.
    llvm::APFloat rounded(value);
    bool losesInfo;
    rounded.convert(floatType.getFloatSemantics(),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    floats[i] = rounded.convertToDouble();
    return;
  }
  if (elementType.isInteger(1)) {
    ints[i] = value != 0.0;
    return;
  }
  // Out-of-range and NaN conversions are undefined in ONNX; saturate so the
  // host computation itself is well defined.
  double truncated = std::trunc(value);
  int64_t asInt = 0;
  if (std::isnan(truncated))
    asInt = 0;
  else if (truncated >= 9.2233720368547758e18)
    asInt = INT64_MAX;
  else if (truncated <= -9.2233720368547758e18)
    asInt = INT64_MIN;
  else
    asInt = static_cast<int64_t>(truncated);
  ints[i] = normalizeInt(asInt);
}

HostTensor HostTensor::reshaped(llvm::ArrayRef<int64_t> newShape) const {
  HostTensor result = *this;
  result.shape.assign(newShape.begin(), newShape.end());
  return result;
}

/// Reads one element of `width` bytes as a double (floats) or int64.
static double readFloat(Type type, const char *p) {
  if (type.isF32()) {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  if (type.isF64()) {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  // 16- and 8-bit floats: every value is exact in a double.
  auto floatType = cast<FloatType>(type);
  unsigned width = floatType.getWidth();
  uint16_t bits = 0;
  std::memcpy(&bits, p, width / 8);
  return llvm::APFloat(floatType.getFloatSemantics(), llvm::APInt(width, bits))
      .convertToDouble();
}

std::optional<HostTensor> HostTensor::fromBytes(RankedTensorType type,
                                                llvm::ArrayRef<char> bytes) {
  if (!type.hasStaticShape() || type.getNumElements() > kMaxHostElements)
    return std::nullopt;
  HostTensor result(type.getElementType(), type.getShape());
  int64_t n = type.getNumElements();
  if (n == 0)
    return result;
  size_t width = bytes.size() / n;
  if (width * n != bytes.size())
    return std::nullopt;
  for (int64_t i = 0; i < n; ++i) {
    const char *p = bytes.data() + i * width;
    if (result.isFloat()) {
      result.floats[i] = readFloat(result.elementType, p);
      continue;
    }
    uint64_t raw = 0;
    std::memcpy(&raw, p, width);
    auto intType = cast<IntegerType>(result.elementType);
    // int4 and uint4 take a byte each, the value in the low nibble.
    unsigned bits = std::min<unsigned>(width * 8, intType.getWidth());
    if (intType.getWidth() == 1)
      result.ints[i] = raw != 0;
    else if (bits == 64)
      result.ints[i] = static_cast<int64_t>(raw);
    else if (intType.isUnsigned())
      result.ints[i] = static_cast<int64_t>(raw & ((uint64_t(1) << bits) - 1));
    else
      result.ints[i] = llvm::SignExtend64(raw, bits);
  }
  return result;
}

std::optional<HostTensor> HostTensor::fromAttr(DenseElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxHostElements)
    return std::nullopt;
  HostTensor result(type.getElementType(), type.getShape());
  int64_t i = 0;
  if (result.isFloat()) {
    for (const llvm::APFloat &v : attr.getValues<llvm::APFloat>())
      result.floats[i++] = v.convertToDouble();
  } else if (isa<IntegerType>(type.getElementType())) {
    bool isUnsigned = type.getElementType().isUnsignedInteger() ||
                      type.getElementType().isInteger(1);
    for (const llvm::APInt &v : attr.getValues<llvm::APInt>())
      result.ints[i++] = isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                    : v.getSExtValue();
  } else {
    return std::nullopt;
  }
  return result;
}

DenseElementsAttr HostTensor::toAttr() const {
  RankedTensorType type = getType();
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    llvm::SmallVector<llvm::APFloat> values;
    for (double v : floats) {
      llvm::APFloat value(v);
      bool losesInfo;
      value.convert(floatType.getFloatSemantics(),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
      values.push_back(value);
    }
    return DenseElementsAttr::get(type, values);
  }
  unsigned width = cast<IntegerType>(elementType).getWidth();
  llvm::SmallVector<llvm::APInt> values;
  for (int64_t v : ints)
    values.push_back(
        llvm::APInt(width, static_cast<uint64_t>(v), /*isSigned=*/true));
  return DenseElementsAttr::get(type, values);
}
