//===- UseCpuMicrokernels.cpp - Matrix products via kiln_cpu_sgemm --------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/cpu/Passes.h"
#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_USECPUMICROKERNELS
#include "compiler/codegen/cpu/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

constexpr StringLiteral kSgemm = "kiln_cpu_sgemm";

/// A matrix operand: row-major rows of `ld` floats (inner stride 1).
struct MatrixInfo {
  int64_t rowStride = 0;   ///< Leading dimension.
  int64_t batchStride = 0; ///< Elements between batch entries (batched only).
};

/// The strides of a static, row-contiguous f32 buffer of rank 2 (or 3 with a
/// leading batch dimension); nullopt otherwise.
static std::optional<MatrixInfo> getMatrixInfo(Value value, unsigned rank) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || !type.getElementType().isF32() || type.getRank() != rank ||
      !type.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(getStridesAndOffset(type, strides, offset)) ||
      strides.back() != 1 || llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  MatrixInfo info;
  info.rowStride = strides[rank - 2];
  if (rank == 3)
    info.batchStride = strides[0];
  // A row stride shorter than a row would make rows overlap.
  if (info.rowStride < type.getDimSize(rank - 1))
    return std::nullopt;
  return info;
}

/// The address of the buffer a chain of views starts from. A workspace view
/// is resolved here, while its byte offset is still known (pointer queries
/// on memref.view do not keep the shift once strided metadata is expanded).
static Value getRootAddress(OpBuilder &b, Location loc, Value buffer) {
  Value root = buffer;
  while (true) {
    if (auto view = root.getDefiningOp<kiln_rt::WorkspaceViewOp>()) {
      Value base = b.create<memref::ExtractAlignedPointerAsIndexOp>(
          loc, view.getWorkspace());
      Value shift =
          b.create<arith::ConstantIndexOp>(loc, view.getOffsetAttr().getInt());
      return b.create<arith::AddIOp>(loc, base, shift);
    }
    // Likewise memref.view: its byte shift is not part of its strided offset.
    if (auto view = root.getDefiningOp<memref::ViewOp>())
      return b.create<arith::AddIOp>(
          loc, getRootAddress(b, loc, view.getSource()), view.getByteShift());
    auto viewLike = root.getDefiningOp<ViewLikeOpInterface>();
    if (!viewLike)
      break;
    root = viewLike.getViewSource();
  }
  return b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, root);
}

/// The address of element 0 of `buffer` (plus `elementOffset` floats). The
/// strided offset of a view is relative to the root buffer's first element.
static Value getAddress(OpBuilder &b, Location loc, Value buffer,
                        Value elementOffset) {
  auto metadata = b.create<memref::ExtractStridedMetadataOp>(loc, buffer);
  Value base = getRootAddress(b, loc, buffer);
  Value offset =
      b.create<arith::AddIOp>(loc, metadata.getOffset(), elementOffset);
  Value four = b.create<arith::ConstantIndexOp>(loc, sizeof(float));
  Value bytes = b.create<arith::MulIOp>(loc, offset, four);
  Value address = b.create<arith::AddIOp>(loc, base, bytes);
  Value asInt = b.create<arith::IndexCastOp>(loc, b.getI64Type(), address);
  return b.create<LLVM::IntToPtrOp>(
      loc, LLVM::LLVMPointerType::get(b.getContext()), asInt);
}

static void declareSgemm(ModuleOp module) {
  if (module.lookupSymbol(kSgemm))
    return;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  MLIRContext *ctx = module.getContext();
  Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type();
  Type ptr = LLVM::LLVMPointerType::get(ctx);
  auto type = LLVM::LLVMFunctionType::get(
      LLVM::LLVMVoidType::get(ctx),
      {i32, i32, i64, i64, i64, f32, ptr, i64, ptr, i64, f32, ptr, i64});
  b.create<LLVM::LLVMFuncOp>(module.getLoc(), kSgemm, type);
}

/// True when `op` (right before the product) zero-fills `output`.
static bool isZeroFillOf(Operation *op, Value output) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op);
  return fill && fill.getOutputs().front() == output &&
         matchPattern(fill.getInputs().front(), m_AnyZeroFloat());
}

/// Rewrites one (batch_)matmul; returns false to leave it alone.
static bool rewrite(linalg::LinalgOp op, ModuleOp module) {
  bool batched = isa<linalg::BatchMatmulOp>(op.getOperation());
  unsigned rank = batched ? 3 : 2;
  if (!op.hasPureBufferSemantics())
    return false;
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value out = op.getDpsInits()[0];
  auto lhsInfo = getMatrixInfo(lhs, rank), rhsInfo = getMatrixInfo(rhs, rank),
       outInfo = getMatrixInfo(out, rank);
  if (!lhsInfo || !rhsInfo || !outInfo)
    return false;
  auto lhsType = cast<MemRefType>(lhs.getType());
  auto outType = cast<MemRefType>(out.getType());
  int64_t m = outType.getDimSize(rank - 2), n = outType.getDimSize(rank - 1);
  int64_t k = lhsType.getDimSize(rank - 1);

  declareSgemm(module);
  OpBuilder builder(op);
  Location loc = op.getLoc();
  float beta = 1.0f;
  if (isZeroFillOf(op->getPrevNode(), out)) {
    op->getPrevNode()->erase();
    beta = 0.0f;
  }
  auto emitCall = [&](OpBuilder &b, Value batch) {
    auto i32 = [&](int64_t v) -> Value {
      return b.create<LLVM::ConstantOp>(loc, b.getI32Type(), v);
    };
    auto i64 = [&](int64_t v) -> Value {
      return b.create<LLVM::ConstantOp>(loc, b.getI64Type(), v);
    };
    auto f32 = [&](float v) -> Value {
      return b.create<LLVM::ConstantOp>(loc, b.getF32Type(),
                                        b.getF32FloatAttr(v));
    };
    auto address = [&](Value buffer, int64_t batchStride) {
      Value stride = b.create<arith::ConstantIndexOp>(loc, batchStride);
      return getAddress(b, loc, buffer,
                        b.create<arith::MulIOp>(loc, batch, stride));
    };
    Value args[] = {i32(0),
                    i32(0),
                    i64(m),
                    i64(n),
                    i64(k),
                    f32(1.0f),
                    address(lhs, lhsInfo->batchStride),
                    i64(lhsInfo->rowStride),
                    address(rhs, rhsInfo->batchStride),
                    i64(rhsInfo->rowStride),
                    f32(beta),
                    address(out, outInfo->batchStride),
                    i64(outInfo->rowStride)};
    b.create<LLVM::CallOp>(loc, TypeRange(), kSgemm, args);
  };
  if (!batched) {
    emitCall(builder, builder.create<arith::ConstantIndexOp>(loc, 0));
    return true;
  }
  Value lower = builder.create<arith::ConstantIndexOp>(loc, 0);
  Value upper =
      builder.create<arith::ConstantIndexOp>(loc, outType.getDimSize(0));
  Value step = builder.create<arith::ConstantIndexOp>(loc, 1);
  builder.create<scf::ForOp>(
      loc, lower, upper, step, ValueRange(),
      [&](OpBuilder &b, Location, Value batch, ValueRange) {
        emitCall(b, batch);
        b.create<scf::YieldOp>(loc);
      });
  return true;
}

struct UseCpuMicrokernelsPass
    : kiln::impl::UseCpuMicrokernelsBase<UseCpuMicrokernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> products;
    module.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op.getOperation()))
        products.push_back(op);
    });
    for (linalg::LinalgOp op : products)
      if (rewrite(op, module))
        op->erase();
  }
};

} // namespace
