//===- KilnShapes.cpp - Shape rules shared by ops and frontends -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "dialects/kiln/IR/KilnShapes.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <utility>

using namespace mlir;
using llvm::ArrayRef;
using llvm::SmallVector;

static bool isDynamic(int64_t d) { return ShapedType::isDynamic(d); }

std::optional<SmallVector<int64_t>>
kiln::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < lhs.size() ? lhs[lhs.size() - 1 - i] : 1;
    int64_t b = i < rhs.size() ? rhs[rhs.size() - 1 - i] : 1;
    int64_t &out = result[rank - 1 - i];
    if (a == 1) {
      out = b;
    } else if (b == 1) {
      out = a;
    } else if (isDynamic(a)) {
      out = b; // A dynamic dimension must equal the static one (or be 1).
    } else if (isDynamic(b) || a == b) {
      out = a;
    } else {
      return std::nullopt;
    }
  }
  return result;
}

std::optional<SmallVector<int64_t>> kiln::matmulShape(ArrayRef<int64_t> lhs,
                                                      ArrayRef<int64_t> rhs) {
  if (lhs.empty() || rhs.empty())
    return std::nullopt;
  SmallVector<int64_t> a(lhs), b(rhs);
  bool lhsVector = a.size() == 1, rhsVector = b.size() == 1;
  if (lhsVector)
    a.insert(a.begin(), 1);
  if (rhsVector)
    b.push_back(1);
  int64_t k1 = a[a.size() - 1], k2 = b[b.size() - 2];
  if (!isDynamic(k1) && !isDynamic(k2) && k1 != k2)
    return std::nullopt;
  auto batch =
      broadcastShapes(ArrayRef(a).drop_back(2), ArrayRef(b).drop_back(2));
  if (!batch)
    return std::nullopt;
  SmallVector<int64_t> result = *batch;
  if (!lhsVector)
    result.push_back(a[a.size() - 2]);
  if (!rhsVector)
    result.push_back(b.back());
  return result;
}

/// The extent `dilation * (kernel - 1) + 1` of a dilated window and the padded
/// input `input + padBefore + padAfter`, nullopt on overflow. Attributes come
/// from untrusted models, so nothing here may overflow.
static std::optional<std::pair<int64_t, int64_t>>
windowSpanAndPaddedInput(int64_t input, int64_t kernel, int64_t dilation,
                         int64_t padBefore, int64_t padAfter) {
  auto span = llvm::checkedMulAdd<int64_t>(dilation, kernel - 1, 1);
  auto padded = llvm::checkedAdd<int64_t>(input, padBefore);
  if (padded)
    padded = llvm::checkedAdd<int64_t>(*padded, padAfter);
  if (!span || !padded)
    return std::nullopt;
  return std::make_pair(*span, *padded);
}

std::optional<int64_t> kiln::convOutputSize(int64_t input, int64_t kernel,
                                            int64_t stride, int64_t dilation,
                                            int64_t padBefore,
                                            int64_t padAfter) {
  if (stride <= 0 || dilation <= 0 || padBefore < 0 || padAfter < 0)
    return std::nullopt;
  if ((!isDynamic(kernel) && kernel <= 0) || (!isDynamic(input) && input < 0))
    return std::nullopt;
  if (isDynamic(input) || isDynamic(kernel))
    return ShapedType::kDynamic;
  auto sizes =
      windowSpanAndPaddedInput(input, kernel, dilation, padBefore, padAfter);
  if (!sizes || sizes->second < sizes->first)
    return std::nullopt;
  auto [span, padded] = *sizes;
  return (padded - span) / stride + 1;
}

std::optional<int64_t> kiln::poolOutputSize(int64_t input, int64_t kernel,
                                            int64_t stride, int64_t dilation,
                                            int64_t padBefore, int64_t padAfter,
                                            bool ceilMode) {
  auto floorSize =
      convOutputSize(input, kernel, stride, dilation, padBefore, padAfter);
  if (!ceilMode || !floorSize || isDynamic(*floorSize))
    return floorSize;
  // convOutputSize succeeded, so the span and padded input do not overflow.
  auto [span, padded] =
      *windowSpanAndPaddedInput(input, kernel, dilation, padBefore, padAfter);
  int64_t size = *floorSize;
  if ((padded - span) % stride != 0)
    ++size;
  // The last window must start inside the input or the leading padding
  // (PyTorch and the ONNX reference drop it otherwise).
  auto lastStart = llvm::checkedMul<int64_t>(size - 1, stride);
  if (!lastStart || *lastStart >= input + padBefore)
    --size;
  return size;
}

std::optional<int64_t> kiln::numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (isDynamic(d) || d < 0)
      return std::nullopt;
    if (d != 0 && n > INT64_MAX / d)
      return std::nullopt;
    n *= d;
  }
  return n;
}

bool kiln::isPermutation(ArrayRef<int64_t> perm, int64_t rank) {
  if (static_cast<int64_t>(perm.size()) != rank)
    return false;
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return false;
    seen[p] = true;
  }
  return true;
}
