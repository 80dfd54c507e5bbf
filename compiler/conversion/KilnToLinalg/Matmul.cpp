//===- Matmul.cpp - Lower kiln.matmul -------------------------------------===//
//
// Part of Kiln. numpy matmul onto the named linalg contractions where the
// shapes allow (dot, vecmat, matvec, matmul, batch_matmul, with batch
// dimensions collapsed into one or folded into M), and onto a
// linalg.generic contraction with broadcasting batch maps otherwise. The
// accumulator has the element type (integer products wrap, as in ONNX).
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The contraction as a linalg.generic: loops are the batch dimensions of
/// the result, then M (unless lhs is 1-D), N (unless rhs is 1-D), then K.
Value buildGenericMatmul(OpBuilder &b, Location loc, ElementKind kind,
                         Value lhs, Value rhs, RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> lhsShape = cast<RankedTensorType>(lhs.getType()).getShape();
  ArrayRef<int64_t> rhsShape = cast<RankedTensorType>(rhs.getType()).getShape();
  bool lhsVector = lhsShape.size() == 1, rhsVector = rhsShape.size() == 1;
  int64_t resultRank = resultType.getRank();
  int64_t batchRank = resultRank - (lhsVector ? 0 : 1) - (rhsVector ? 0 : 1);
  ArrayRef<int64_t> batch = resultType.getShape().take_front(batchRank);
  int64_t numLoops = resultRank + 1;
  int64_t mLoop = batchRank, nLoop = batchRank + (lhsVector ? 0 : 1);
  int64_t kLoop = numLoops - 1;

  // Batch dimensions of an operand, right-aligned with the result's.
  auto batchExprs = [&](ArrayRef<int64_t> operandBatch) {
    SmallVector<AffineExpr> exprs;
    int64_t offset = batchRank - static_cast<int64_t>(operandBatch.size());
    for (auto [i, size] : llvm::enumerate(operandBatch)) {
      int64_t loop = offset + i;
      exprs.push_back(size == 1 && batch[loop] != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(loop, ctx));
    }
    return exprs;
  };
  SmallVector<AffineExpr> lhsExprs =
      batchExprs(lhsShape.drop_back(lhsVector ? 1 : 2));
  if (!lhsVector)
    lhsExprs.push_back(getAffineDimExpr(mLoop, ctx));
  lhsExprs.push_back(getAffineDimExpr(kLoop, ctx));
  SmallVector<AffineExpr> rhsExprs =
      batchExprs(rhsShape.drop_back(rhsVector ? 1 : 2));
  rhsExprs.push_back(getAffineDimExpr(kLoop, ctx));
  if (!rhsVector)
    rhsExprs.push_back(getAffineDimExpr(nLoop, ctx));
  SmallVector<AffineMap> maps = {
      AffineMap::get(numLoops, 0, lhsExprs, ctx),
      AffineMap::get(numLoops, 0, rhsExprs, ctx),
      AffineMap::getMultiDimIdentityMap(numLoops, ctx)
          .getMajorSubMap(resultRank)};
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  Value init = createFilled(b, loc, resultType,
                            b.getZeroAttr(resultType.getElementType()));
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, ValueRange{lhs, rhs}, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value product = createMul(nb, nl, kind, args[0], args[1]);
        nb.create<linalg::YieldOp>(nl,
                                   createAdd(nb, nl, kind, args[2], product));
      });
  return generic.getResult(0);
}

/// Collapses the leading `count` dimensions of `value` into one.
Value collapseLeading(OpBuilder &b, Location loc, Value value, int64_t count) {
  auto type = cast<RankedTensorType>(value.getType());
  if (count == 1)
    return value;
  SmallVector<int64_t> shape = {1};
  for (int64_t d = 0; d < count; ++d)
    shape[0] *= type.getDimSize(d);
  llvm::append_range(shape, type.getShape().drop_front(count));
  return reshapeTo(b, loc, value, type.clone(shape));
}

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementKind kind = getElementKind(op.getType());
    if (!hasStaticTensorTypes(op) || kind == ElementKind::Other)
      return rewriter.notifyMatchFailure(op, "needs static numeric tensors");
    Location loc = op.getLoc();
    auto resultType = convertTensorType(*getTypeConverter(), op.getType());
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
    Type elementType = resultType.getElementType();
    Attribute zero = rewriter.getZeroAttr(elementType);

    // A named contraction on (possibly reshaped) operands; its result is
    // reshaped back to the kiln result type.
    auto named = [&](auto opTag, Value a, Value c,
                     ArrayRef<int64_t> shape) -> Value {
      using NamedOp = decltype(opTag);
      auto type = RankedTensorType::get(shape, elementType);
      Value init = createFilled(rewriter, loc, type, cast<TypedAttr>(zero));
      Value product = rewriter
                          .create<NamedOp>(loc, TypeRange{type},
                                           ValueRange{a, c}, ValueRange{init})
                          .getResult(0);
      return reshapeTo(rewriter, loc, product, resultType);
    };

    Value result;
    int64_t m = lhsRank >= 2 ? lhsType.getDimSize(lhsRank - 2) : 1;
    int64_t n = rhsRank >= 2 ? rhsType.getDimSize(rhsRank - 1) : 1;
    if (lhsRank == 1 && rhsRank == 1) {
      result = named(linalg::DotOp(), lhs, rhs, {});
    } else if (lhsRank == 1 && rhsRank == 2) {
      result = named(linalg::VecmatOp(), lhs, rhs, {n});
    } else if (lhsRank >= 2 && rhsRank <= 2) {
      // Batch dimensions of lhs fold into M: [B..., M, K] -> [B*M, K].
      Value a = collapseLeading(rewriter, loc, lhs, lhsRank - 1);
      int64_t rows = cast<RankedTensorType>(a.getType()).getDimSize(0);
      if (rhsRank == 1)
        result = named(linalg::MatvecOp(), a, rhs, {rows});
      else
        result = named(linalg::MatmulOp(), a, rhs, {rows, n});
    } else if (lhsRank == rhsRank && lhsType.getShape().drop_back(2) ==
                                         rhsType.getShape().drop_back(2)) {
      // Equal batch dimensions (no broadcasting) collapse into one.
      int64_t batchRank = lhsRank - 2;
      Value a = collapseLeading(rewriter, loc, lhs, batchRank);
      Value c = collapseLeading(rewriter, loc, rhs, batchRank);
      int64_t batch = cast<RankedTensorType>(a.getType()).getDimSize(0);
      result = named(linalg::BatchMatmulOp(), a, c, {batch, m, n});
    } else {
      result = buildGenericMatmul(rewriter, loc, kind, lhs, rhs, resultType);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::populateMatmulLoweringPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<MatMulLowering>(converter, patterns.getContext());
}
