//===- CastSupport.h - Shared pieces of Cast and CastLike ------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_CASTSUPPORT_H
#define COMPILER_FRONTENDS_ONNX_CASTSUPPORT_H

#include "compiler/frontends/onnx/NodeContext.h"
#include "dialects/kiln/IR/KilnOps.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"

namespace mlir::kiln::onnx {

/// Reads Cast's `saturate` (opset 19+, default 1); false on a bad value.
inline bool getSaturate(NodeContext &ctx, bool &saturate) {
  int64_t value = ctx.getInt("saturate", 1);
  if (ctx.hasFailed())
    return false;
  if (value != 0 && value != 1) {
    ctx.emitError() << "saturate must be 0 or 1, got " << value;
    return false;
  }
  saturate = value == 1;
  return true;
}

/// kiln.cast of `input` to `type`; `saturate` = false travels as an
/// attribute (it only changes casts to 8-bit floats).
inline mlir::Value createCast(NodeContext &ctx, mlir::Value input,
                              mlir::RankedTensorType type, bool saturate) {
  mlir::Value result = ctx.createWithType<kiln::CastOp>(type, input);
  if (result && !saturate && isOnnxFloat8(type.getElementType()))
    result.getDefiningOp()->setAttr(
        kSaturateAttrName, mlir::BoolAttr::get(ctx.getContext(), false));
  return result;
}

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_CASTSUPPORT_H
