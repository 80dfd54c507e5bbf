//===- FlattenEmptyBuffers.cpp - Empty buffers across function calls -----===//
//
// Part of Kiln. MLIR's canonical strides of an identity-layout memref stop at
// the innermost zero-size dimension: every dimension outside it gets a
// dynamic stride (memref<2x0x4xf32> is strided<[?, 4, 1]>). The bare-pointer
// calling convention needs static strides, so convert-func-to-llvm cannot
// convert a function with such an argument or result, leaves it as it is,
// and fails later at its first caller. A buffer with no elements is never
// dereferenced, so it crosses function boundaries as a rank-1 memref<0xT>
// (a plain pointer) and gets its shape back with memref.reinterpret_cast.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_FLATTENEMPTYBUFFERS
#include "compiler/codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

/// True for a static strided memref with no elements whose layout has a
/// dynamic stride or offset: one the bare-pointer calling convention rejects.
static bool needsFlattening(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || !memref.hasStaticShape() || memref.getNumElements() != 0)
    return false;
  int64_t offset;
  SmallVector<int64_t> strides;
  if (failed(getStridesAndOffset(memref, strides, offset)))
    return false;
  return ShapedType::isDynamic(offset) ||
         llvm::any_of(strides, ShapedType::isDynamic);
}

static Type flattenedType(Type type) {
  if (!needsFlattening(type))
    return type;
  auto memref = cast<MemRefType>(type);
  return MemRefType::get({0}, memref.getElementType(),
                         MemRefLayoutAttrInterface(), memref.getMemorySpace());
}

/// memref<0xT> -> the original empty type. Static strides and offset are
/// needed by the op; where the type leaves them dynamic, the row-major
/// strides of the shape with zero sizes counted as 1 are used (no element is
/// ever addressed).
static Value unflatten(OpBuilder &b, Location loc, Value flat,
                       MemRefType type) {
  int64_t typeOffset;
  SmallVector<int64_t> typeStrides;
  (void)getStridesAndOffset(type, typeStrides, typeOffset);
  SmallVector<int64_t> strides(type.getRank());
  int64_t running = 1;
  for (int64_t i = type.getRank() - 1; i >= 0; --i) {
    strides[i] =
        ShapedType::isDynamic(typeStrides[i]) ? running : typeStrides[i];
    running *= std::max<int64_t>(type.getDimSize(i), 1);
  }
  int64_t offset = ShapedType::isDynamic(typeOffset) ? 0 : typeOffset;
  return b.create<memref::ReinterpretCastOp>(loc, type, flat, offset,
                                             type.getShape(), strides);
}

static Value flatten(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(flattenedType(value.getType()));
  return b.create<memref::ReinterpretCastOp>(loc, type, value, /*offset=*/0,
                                             /*sizes=*/ArrayRef<int64_t>{0},
                                             /*strides=*/ArrayRef<int64_t>{1});
}

struct FlattenEmptyBuffersPass
    : kiln::impl::FlattenEmptyBuffersBase<FlattenEmptyBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Every function whose signature changes.
    llvm::DenseSet<StringAttr> changed;
    for (auto func : module.getOps<func::FuncOp>()) {
      FunctionType type = func.getFunctionType();
      if (llvm::none_of(type.getInputs(), needsFlattening) &&
          llvm::none_of(type.getResults(), needsFlattening))
        continue;
      rewriteFunction(func);
      changed.insert(func.getSymNameAttr());
    }
    if (changed.empty())
      return;

    module.walk([&](func::CallOp call) {
      if (!changed.contains(call.getCalleeAttr().getAttr()))
        return;
      OpBuilder b(call);
      for (OpOperand &operand : call->getOpOperands())
        if (needsFlattening(operand.get().getType()))
          operand.set(flatten(b, call.getLoc(), operand.get()));
      b.setInsertionPointAfter(call);
      for (OpResult result : call->getResults()) {
        auto type = dyn_cast<MemRefType>(result.getType());
        if (!type || !needsFlattening(type))
          continue;
        result.setType(flattenedType(type));
        Value restored = unflatten(b, call.getLoc(), result, type);
        result.replaceAllUsesExcept(restored, restored.getDefiningOp());
      }
    });
  }

  static void rewriteFunction(func::FuncOp func) {
    FunctionType type = func.getFunctionType();
    auto inputs = llvm::map_to_vector(type.getInputs(), flattenedType);
    auto results = llvm::map_to_vector(type.getResults(), flattenedType);

    if (!func.isExternal()) {
      Block &entry = func.getBody().front();
      OpBuilder b = OpBuilder::atBlockBegin(&entry);
      for (BlockArgument arg : entry.getArguments()) {
        auto argType = dyn_cast<MemRefType>(arg.getType());
        if (!argType || !needsFlattening(argType))
          continue;
        arg.setType(flattenedType(argType));
        Value restored = unflatten(b, func.getLoc(), arg, argType);
        arg.replaceAllUsesExcept(restored, restored.getDefiningOp());
      }
      func.walk([&](func::ReturnOp ret) {
        OpBuilder rb(ret);
        for (OpOperand &operand : ret->getOpOperands())
          if (needsFlattening(operand.get().getType()))
            operand.set(flatten(rb, ret.getLoc(), operand.get()));
      });
    }
    func.setFunctionType(FunctionType::get(func.getContext(), inputs, results));
  }
};

} // namespace
