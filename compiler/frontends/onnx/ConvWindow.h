//===- ConvWindow.h - Window attributes of ONNX convolutions ---*- C++ -*-===//
//
// Part of Kiln. Reading and checking the window attributes (kernel_shape,
// strides, dilations, pads/auto_pad, group) that Conv, ConvTranspose, the
// pools and the integer convolutions share, and building a 1-D, 2-D or 3-D
// kiln convolution from them.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_CONVWINDOW_H
#define COMPILER_FRONTENDS_ONNX_CONVWINDOW_H

#include "compiler/frontends/onnx/NodeContext.h"

#include "mlir/IR/BuiltinTypes.h"

#include <optional>

namespace mlir::kiln::onnx {

/// Largest window attribute (kernel size, stride, dilation, pad) accepted:
/// keeps every size computation far from int64 overflow.
constexpr int64_t kMaxWindowValue = int64_t(1) << 31;

/// Reads a per-spatial-dimension attribute (strides, dilations, pads) of
/// length `count`; `defaultValue` fills it when absent.
std::optional<llvm::SmallVector<int64_t>> getSpatialInts(NodeContext &ctx,
                                                         llvm::StringRef name,
                                                         unsigned count,
                                                         int64_t defaultValue);

/// Checks that every value of a window attribute is in [lo, kMaxWindowValue].
bool checkWindowValues(NodeContext &ctx, llvm::StringRef name,
                       llvm::ArrayRef<int64_t> values, int64_t lo);

/// Checks input 0 is `N x C x spatial...` with 1 to 3 spatial dimensions
/// (a 1-D one static); returns its type, or null after an error.
mlir::RankedTensorType requireSpatialInput(NodeContext &ctx);

/// Resolves ONNX `pads`/`auto_pad` to all leading pads, then all trailing
/// pads (the layout of both ONNX `pads` and the kiln ops' `padding`).
std::optional<llvm::SmallVector<int64_t>>
resolvePadding(NodeContext &ctx, mlir::RankedTensorType input,
               llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
               llvm::ArrayRef<int64_t> dilations);

/// 1-D windows run as 2-D ones over a unit height: the attributes with
/// `unit` in front, the pads as 2-D pads, and `x` reshaped to N x C x 1 x L
/// and back.
llvm::SmallVector<int64_t> prependUnit(llvm::ArrayRef<int64_t> values,
                                       int64_t unit);
llvm::SmallVector<int64_t> unitHeightPads(llvm::ArrayRef<int64_t> pads);
mlir::Value addUnitHeight(NodeContext &ctx, mlir::Value x);
mlir::Value dropUnitHeight(NodeContext &ctx, mlir::Value x);

/// Reads `group` and checks it is positive.
std::optional<int64_t> getGroups(NodeContext &ctx);

/// Checks the filter's rank and an optional `kernel_shape` against it;
/// returns the kernel's spatial sizes.
std::optional<llvm::SmallVector<int64_t>>
getFilterKernel(NodeContext &ctx, mlir::RankedTensorType input,
                mlir::RankedTensorType filter);

/// The window of a convolution: a stride, dilation and pair of pads per
/// spatial dimension (pads: all leading, then all trailing), and the groups.
struct ConvWindow {
  llvm::SmallVector<int64_t> strides, pads, dilations;
  int64_t groups = 1;
};

/// Reads and checks the window of a convolution of `input` by `filter`.
std::optional<ConvWindow> getConvWindow(NodeContext &ctx,
                                        mlir::RankedTensorType input,
                                        mlir::RankedTensorType filter);

/// conv2d / conv3d, or a 1-D convolution as a 2-D one over a unit height.
mlir::Value createConv(NodeContext &ctx, mlir::Value x, mlir::Value w,
                       mlir::Value bias, llvm::ArrayRef<int64_t> strides,
                       llvm::ArrayRef<int64_t> pads,
                       llvm::ArrayRef<int64_t> dilations, int64_t groups);
mlir::Value createConv(NodeContext &ctx, mlir::Value x, mlir::Value w,
                       mlir::Value bias, const ConvWindow &window);

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_CONVWINDOW_H
