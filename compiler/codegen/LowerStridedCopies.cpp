//===- LowerStridedCopies.cpp - memref.copy of strided buffers to loops ---===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_LOWERSTRIDEDCOPIES
#include "compiler/codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

/// Copies that finalize-memref-to-llvm turns into memcpy.
static bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getLayout().isIdentity();
}

struct LowerStridedCopiesPass
    : kiln::impl::LowerStridedCopiesBase<LowerStridedCopiesPass> {
  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      if (isContiguous(copy.getSource().getType()) &&
          isContiguous(copy.getTarget().getType()))
        return;
      OpBuilder b(copy);
      b.create<linalg::CopyOp>(copy.getLoc(), copy.getSource(),
                               copy.getTarget());
      copy.erase();
    });
  }
};

} // namespace
