//===- CopyReturnedBuffers.cpp - One allocation per returned buffer -------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_COPYRETURNEDBUFFERS
#include "compiler/codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {
struct CopyReturnedBuffersPass
    : kiln::impl::CopyReturnedBuffersBase<CopyReturnedBuffersPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      DenseSet<Value> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<MemRefType>(value.getType());
        if (!type)
          continue;
        bool isOwnAlloc =
            value.getDefiningOp<memref::AllocOp>() && seen.insert(value).second;
        // The copy has the identity layout, so only a result of that layout
        // can take it without changing the function's type.
        if (isOwnAlloc || !type.hasStaticShape() ||
            !type.getLayout().isIdentity())
          continue;
        auto copyType = MemRefType::get(type.getShape(), type.getElementType());
        Value copy = b.create<memref::AllocOp>(ret.getLoc(), copyType);
        b.create<memref::CopyOp>(ret.getLoc(), value, copy);
        operand.set(copy);
        seen.insert(copy);
      }
    });
  }
};
} // namespace
