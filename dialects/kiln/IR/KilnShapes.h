//===- KilnShapes.h - Shape rules shared by ops and frontends ----*- C++
//-*-===//
//
// Part of Kiln. Pure shape arithmetic used by kiln op type inference and by
// the frontends (which must predict shapes before building ops). Dynamic
// dimensions are ShapedType::kDynamic.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_IR_KILNSHAPES_H
#define DIALECTS_KILN_IR_KILNSHAPES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>

namespace mlir::kiln {

/// The numpy broadcast of two shapes, or nullopt when they are incompatible.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// The result shape of numpy `matmul`, or nullopt when the contracted or the
/// batch dimensions disagree, or an operand has rank 0.
std::optional<llvm::SmallVector<int64_t>>
matmulShape(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Output extent of a convolution window sweep over one spatial dimension:
/// dynamic when `input` or `kernel` is dynamic, nullopt when the (dilated)
/// kernel does not fit in the padded input, when `stride`, `dilation` or a
/// static `kernel` is not positive, when a pad is negative, or when the
/// arithmetic would overflow.
std::optional<int64_t> convOutputSize(int64_t input, int64_t kernel,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBefore, int64_t padAfter);

/// Output extent of a pooling window sweep, with the same failures as
/// convOutputSize; with `ceilMode` the size rounds up, but the last window
/// must start inside the input or the leading padding (ONNX and PyTorch
/// semantics), which can leave 0 windows for an empty input.
std::optional<int64_t> poolOutputSize(int64_t input, int64_t kernel,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBefore, int64_t padAfter,
                                      bool ceilMode);

/// Product of the dimensions, nullopt when one is dynamic or it overflows.
std::optional<int64_t> numElements(llvm::ArrayRef<int64_t> shape);

/// True when `perm` is a permutation of [0, rank).
bool isPermutation(llvm::ArrayRef<int64_t> perm, int64_t rank);

} // namespace mlir::kiln

#endif // DIALECTS_KILN_IR_KILNSHAPES_H
