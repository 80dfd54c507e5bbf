//===- KilnShapes.cpp - Shape rules shared by ops and frontends -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "dialects/kiln/IR/KilnShapes.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/Support/MathExtras.h"

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

std::optional<SmallVector<int64_t>>
kiln::matmulShape(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
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
  auto batch = broadcastShapes(ArrayRef(a).drop_back(2),
                               ArrayRef(b).drop_back(2));
  if (!batch)
    return std::nullopt;
  SmallVector<int64_t> result = *batch;
  if (!lhsVector)
    result.push_back(a[a.size() - 2]);
  if (!rhsVector)
    result.push_back(b.back());
  return result;
}

std::optional<int64_t> kiln::convOutputSize(int64_t input, int64_t kernel,
                                            int64_t stride, int64_t dilation,
                                            int64_t padBefore,
                                            int64_t padAfter) {
  if (stride <= 0 || dilation <= 0 || kernel <= 0 || padBefore < 0 ||
      padAfter < 0)
    return std::nullopt;
  if (isDynamic(input))
    return ShapedType::kDynamic;
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t padded = input + padBefore + padAfter;
  if (padded < span)
    return std::nullopt;
  return (padded - span) / stride + 1;
}

std::optional<int64_t> kiln::poolOutputSize(int64_t input, int64_t kernel,
                                            int64_t stride, int64_t dilation,
                                            int64_t padBefore,
                                            int64_t padAfter, bool ceilMode) {
  if (!ceilMode)
    return convOutputSize(input, kernel, stride, dilation, padBefore,
                          padAfter);
  auto floorSize =
      convOutputSize(input, kernel, stride, dilation, padBefore, padAfter);
  if (!floorSize || isDynamic(*floorSize))
    return floorSize;
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t size = llvm::divideCeil(input + padBefore + padAfter - span,
                                  stride) + 1;
  // The last window must start inside the input or the leading padding.
  if ((size - 1) * stride >= input + padBefore)
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
