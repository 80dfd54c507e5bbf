//===- LowerWorkspaceViews.cpp - kiln_rt.workspace_view to memref.view ----===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Passes.h"
#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_LOWERWORKSPACEVIEWS
#include "compiler/codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {
struct LowerWorkspaceViewsPass
    : kiln::impl::LowerWorkspaceViewsBase<LowerWorkspaceViewsPass> {
  void runOnOperation() override {
    getOperation().walk([](kiln_rt::WorkspaceViewOp view) {
      OpBuilder b(view);
      Value offset = b.create<arith::ConstantIndexOp>(
          view.getLoc(), view.getOffsetAttr().getInt());
      Value replacement =
          b.create<memref::ViewOp>(view.getLoc(), view.getType(),
                                   view.getWorkspace(), offset, ValueRange());
      view.replaceAllUsesWith(replacement);
      view.erase();
    });
  }
};
} // namespace
