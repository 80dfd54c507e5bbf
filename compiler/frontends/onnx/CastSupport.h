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

/// Sets output 0 to input 0 converted to `elementType`: on the host when the
/// input is known, else a kiln.cast. Casts to 8- and 4-bit floats round (and
/// saturate) in kiln.cast only, and float4e2m1 constants hold codes, not
/// values (see HostTensor), so those stay casts of a dense constant (LLVM
/// cannot emit 4-bit dense_resource data).
inline void setCastOutput(NodeContext &ctx, mlir::Type elementType,
                          bool saturate) {
  const HostTensor *input = ctx.getConstantInput(0);
  mlir::Value source;
  if (input && (isLowPrecisionFloat(elementType) ||
                isFloat4E2M1(input->getElementType()))) {
    source = ctx.createConstant(*input);
    input = nullptr;
  }
  if (input) {
    HostTensor result(elementType, input->getShape());
    for (int64_t i = 0; i < input->size(); ++i) {
      if (input->isFloat())
        result.setFromDouble(i, input->getDouble(i));
      else
        result.setFromInt(i, input->getInt(i));
    }
    return ctx.setOutput(0, std::move(result));
  }
  mlir::RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  ctx.setOutput(0, createCast(ctx, source ? source : ctx.getInput(0),
                              type.clone(elementType), saturate));
}

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_CASTSUPPORT_H
