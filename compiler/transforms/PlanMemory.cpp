//===- PlanMemory.cpp - Place intermediate buffers in one arena -----------===//
//
// Part of Kiln. Analysis first (live ranges, then offsets), rewrite once.
//
//===----------------------------------------------------------------------===//

#include "compiler/transforms/Passes.h"
#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/MathExtras.h"

#define DEBUG_TYPE "kiln-plan-memory"

namespace mlir::kiln {
#define GEN_PASS_DEF_PLANMEMORY
#include "compiler/transforms/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

constexpr int64_t kAlignment = kiln_rt::kWorkspaceAlignment;

/// One allocation and where it lives in time (top-level op indices) and,
/// once placed, in the arena.
struct Buffer {
  memref::AllocOp alloc;
  int64_t size = 0;
  int64_t start = 0, end = 0;
  int64_t offset = -1;
};

/// The op of `block` that contains `op`.
static Operation *topLevelAncestor(Block &block, Operation *op) {
  while (op && op->getBlock() != &block)
    op = op->getParentOp();
  return op;
}

/// Extends `end` to the last top-level op using `value` or any memref
/// derived from it (views, casts, reshapes: every op result that is a memref
/// is assumed to alias its memref operands).
static void extendLiveRange(Block &block, Value value,
                            const DenseMap<Operation *, int64_t> &index,
                            int64_t &end) {
  SmallVector<Value> worklist = {value};
  DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    if (!seen.insert(current).second)
      continue;
    for (Operation *user : current.getUsers()) {
      if (Operation *top = topLevelAncestor(block, user))
        end = std::max(end, index.lookup(top));
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          worklist.push_back(result);
    }
  }
}

/// Lowest aligned offset where `buffer` overlaps no placed buffer that is
/// live at the same time.
static int64_t findOffset(const Buffer &buffer, ArrayRef<Buffer *> placed) {
  SmallVector<std::pair<int64_t, int64_t>> busy;
  for (Buffer *other : placed)
    if (other->start <= buffer.end && buffer.start <= other->end)
      busy.push_back({other->offset, other->offset + other->size});
  llvm::sort(busy);
  int64_t offset = 0;
  for (auto [begin, finish] : busy) {
    if (offset + buffer.size <= begin)
      break;
    offset = std::max<int64_t>(offset, llvm::alignTo(finish, kAlignment));
  }
  return offset;
}

struct PlanMemoryPass : kiln::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto entry : module.getOps<kiln_rt::EntryPointOp>()) {
      auto func = module.lookupSymbol<func::FuncOp>(entry.getFunction());
      if (!func || func.isExternal()) {
        entry.emitError("kiln-plan-memory: entry point without a body");
        return signalPassFailure();
      }
      if (failed(planFunction(entry, func)))
        return signalPassFailure();
    }
  }

  LogicalResult planFunction(kiln_rt::EntryPointOp entry, func::FuncOp func) {
    if (!func.getBody().hasOneBlock())
      return func.emitError("kiln-plan-memory: expects a single-block body");
    Block &block = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(block))
      index[&op] = i;

    SmallVector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (alloc->getBlock() != &block)
        return alloc.emitError("kiln-plan-memory: allocation inside a nested "
                               "region"),
               WalkResult::interrupt();
      // Sizes come from bit widths: index, vector and other element types
      // have none here.
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat())
        return alloc.emitError("kiln-plan-memory: cannot place a buffer of "
                               "type ")
                   << type
                   << " (needs a static shape, the identity layout and "
                      "integer or float elements)",
               WalkResult::interrupt();
      Buffer buffer;
      buffer.alloc = alloc;
      int64_t bytes = type.getNumElements() *
                      llvm::divideCeil(type.getElementTypeBitWidth(), 8);
      buffer.size = static_cast<int64_t>(
          llvm::alignTo(std::max<int64_t>(bytes, 1), kAlignment));
      buffer.start = buffer.end = index.lookup(alloc);
      buffers.push_back(buffer);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    // Deallocations end nothing early: the arena is freed by the caller.
    for (Buffer &buffer : buffers)
      for (Operation *user :
           llvm::make_early_inc_range(buffer.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
    for (Buffer &buffer : buffers)
      extendLiveRange(block, buffer.alloc, index, buffer.end);

    // Largest first packs tighter than program order.
    SmallVector<Buffer *> order;
    for (Buffer &buffer : buffers)
      order.push_back(&buffer);
    llvm::stable_sort(order, [](Buffer *a, Buffer *b) {
      return a->size != b->size ? a->size > b->size : a->start < b->start;
    });
    int64_t arenaSize = 0;
    SmallVector<Buffer *> placed;
    for (Buffer *buffer : order) {
      buffer->offset = findOffset(*buffer, placed);
      arenaSize = std::max(arenaSize, buffer->offset + buffer->size);
      placed.push_back(buffer);
      LLVM_DEBUG(llvm::dbgs() << "placed " << buffer->alloc.getType() << " ["
                              << buffer->start << ", " << buffer->end << "] at "
                              << buffer->offset << "\n");
    }

    entry.setWorkspaceSizeAttr(OpBuilder(entry).getI64IntegerAttr(arenaSize));
    if (arenaSize == 0)
      return success();
    OpBuilder b(func.getContext());
    auto wsType = MemRefType::get({arenaSize}, b.getI8Type());
    unsigned wsIndex = func.getNumArguments();
    func.insertArgument(wsIndex, wsType,
                        b.getDictionaryAttr(b.getNamedAttr(
                            "kiln.name", b.getStringAttr("workspace"))),
                        func.getLoc());
    Value workspace = func.getArgument(wsIndex);
    for (Buffer &buffer : buffers) {
      b.setInsertionPoint(buffer.alloc);
      Value view = b.create<kiln_rt::WorkspaceViewOp>(
          buffer.alloc.getLoc(), buffer.alloc.getType(), workspace,
          b.getI64IntegerAttr(buffer.offset));
      buffer.alloc.replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    return success();
  }
};

} // namespace
